package org.dataversebackup.restore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which tables are restored, from the lookups between them: a table comes after the
 * tables its lookups point to. Tables whose lookups form a cycle (account.primarycontactid and
 * contact.parentcustomerid) stay together, in name order. A lookup value is written in the first
 * pass when its target table comes earlier (or is not restored in this run); a lookup into the
 * table itself or into a later table (a cycle) is written in the second pass, once every row exists.
 */
public final class RestoreOrder {
    private final List<String> order;
    private final Map<String, Integer> position;

    private RestoreOrder(List<String> order) {
        this.order = List.copyOf(order);
        this.position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
    }

    /** @param schemas the regular (not intersect) tables restored in this run */
    public static RestoreOrder of(List<TableSchema> schemas) {
        return of(schemas, Map.of());
    }

    /**
     * @param schemas the regular (not intersect) tables restored in this run
     * @param extra   tables that must come after others without a lookup saying so (an activity
     *                after the tables its parties point to)
     */
    public static RestoreOrder of(List<TableSchema> schemas, Map<String, List<String>> extra) {
        Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
        List<TableSchema> sorted = new ArrayList<>(schemas);
        sorted.sort(Comparator.comparing(TableSchema::logicalName));
        sorted.forEach(s -> dependsOn.put(s.logicalName(), new LinkedHashSet<>()));
        for (TableSchema schema : sorted) {
            for (TableSchema.Attribute attribute : schema.writableAttributes()) {
                if (!attribute.lookup()) {
                    continue;
                }
                for (String target : schema.lookupTargets(attribute)) {
                    if (dependsOn.containsKey(target) && !target.equals(schema.logicalName())) {
                        dependsOn.get(schema.logicalName()).add(target);
                    }
                }
            }
        }
        extra.forEach((table, targets) -> {
            if (dependsOn.containsKey(table)) {
                targets.stream().filter(t -> dependsOn.containsKey(t) && !t.equals(table)).forEach(dependsOn.get(table)::add);
            }
        });
        return new RestoreOrder(new Tarjan(dependsOn).order());
    }

    /** Logical names, dependencies first. */
    public List<String> tables() {
        return order;
    }

    /**
     * Whether a lookup from {@code table} to a row of {@code target} waits for the second pass:
     * the target is restored in this run and is the same table or comes later.
     */
    public boolean deferred(String table, String target) {
        Integer from = position.get(table);
        Integer to = position.get(target);
        return from != null && to != null && to >= from;
    }

    /** Strongly connected components, emitted dependencies first (Tarjan's algorithm emits in reverse topological order). */
    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new java.util.HashSet<>();
        private final List<String> result = new ArrayList<>();
        private int counter;

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<String> order() {
            for (String node : graph.keySet()) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            return result;
        }

        private void visit(String node) {
            index.put(node, counter);
            low.put(node, counter);
            counter++;
            stack.push(node);
            onStack.add(node);
            for (String next : graph.get(node)) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                List<String> component = new ArrayList<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                component.sort(Comparator.naturalOrder());
                result.addAll(component);
            }
        }
    }
}
