package org.dataversebackup.dataverse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection accounts a client spreads its requests over. Each request goes to the account
 * whose gate is least busy (requests under way against what it allows now; a paused gate is the
 * busiest), ties taken in turn, so every account works near its own limits and a throttled one
 * is given less. An account that cannot sign in any more, or whose tokens Dataverse refuses, is
 * taken out with a warning and the others go on; the last one is never taken out.
 */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);
    /** Separates a connection's name from a limit in {@link #pausesByLimit}. */
    private static final String SEPARATOR = "\u0000";

    private final List<Connection> all;
    private final List<Connection> active;
    private final AtomicInteger turn = new AtomicInteger();
    /** Why each connection taken out was taken out. */
    private final Map<String, String> takenOut = new java.util.concurrent.ConcurrentHashMap<>();

    Connections(List<Connection> connections) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("at least one connection");
        }
        this.all = List.copyOf(connections);
        this.active = new CopyOnWriteArrayList<>(connections);
    }

    /** The connection for the next request. */
    Connection pick() {
        List<Connection> candidates = new ArrayList<>(active);
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int start = Math.floorMod(turn.getAndIncrement(), candidates.size());
        Connection best = null;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            Connection candidate = candidates.get((start + i) % candidates.size());
            double load = candidate.gate().load();
            if (load < bestLoad) {
                best = candidate;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * Takes a failing connection out of the rotation.
     *
     * @return false when it is the last one: the failure is then the request's
     */
    synchronized boolean takeOut(Connection connection, String reason) {
        if (!active.contains(connection)) {
            return active.size() > 0;
        }
        if (active.size() == 1) {
            return false;
        }
        active.remove(connection);
        takenOut.put(connection.name(), reason);
        LOG.warn("Connection {} is taken out: {}; going on with {}", connection.name(), reason,
                active.stream().map(Connection::name).collect(Collectors.joining(", ")));
        return true;
    }

    int size() {
        return all.size();
    }

    List<Connection> all() {
        return all;
    }

    /** The connections still in the rotation. */
    List<String> active() {
        return active.stream().map(Connection::name).toList();
    }

    /** The connections taken out, with why. */
    Map<String, String> takenOut() {
        return Map.copyOf(takenOut);
    }

    Connection named(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElse(all.get(0));
    }

    Optional<String> limitedBy() {
        return joined(all.stream().map(c -> c.gate().limitedBy()).toList());
    }

    Map<String, Integer> pausesByLimit() {
        Map<String, Integer> pauses = new LinkedHashMap<>();
        for (Connection connection : all) {
            connection.gate().pausesByLimit().forEach((limit, count) -> pauses.put(connection.name() + SEPARATOR + limit, count));
        }
        return pauses;
    }

    Optional<String> limitedBySince(Map<String, Integer> before) {
        List<Optional<String>> each = new ArrayList<>();
        for (Connection connection : all) {
            String prefix = connection.name() + SEPARATOR;
            Map<String, Integer> own = new LinkedHashMap<>();
            before.forEach((key, count) -> {
                if (key.startsWith(prefix)) {
                    own.put(key.substring(prefix.length()), count);
                }
            });
            each.add(connection.gate().limitedBySince(own));
        }
        return joined(each);
    }

    private static Optional<String> joined(List<Optional<String>> parts) {
        String text = parts.stream().flatMap(Optional::stream).collect(Collectors.joining("; "));
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
