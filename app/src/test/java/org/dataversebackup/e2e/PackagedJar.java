package org.dataversebackup.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs target/dataverse-backup.jar in its own JVM, as a user would. */
public final class PackagedJar {
    private PackagedJar() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String lastStdoutLine() {
            List<String> lines = stdout.strip().lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("dataverse-backup.jar", "target/dataverse-backup.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first");
        }
        return jar;
    }

    public static Result run(Path workingDir, Duration timeout, List<String> jvmOptions, Map<String, String> env,
            String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jar-out", ".txt");
        Path err = Files.createTempFile("jar-err", ".txt");
        Process process = start(workingDir, jvmOptions, env, out, err, args);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("dataverse-backup " + String.join(" ", args) + " did not end within "
                    + timeout + "; stderr:\n" + Files.readString(err));
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return result;
    }

    /**
     * Starts the jar without waiting for it, its output going to {@code out} and {@code err}: for
     * tests that stop it themselves ({@link Process#destroyForcibly()} is kill -9 on Linux).
     */
    public static Process start(Path workingDir, List<String> jvmOptions, Map<String, String> env, Path out, Path err,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    public static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        return run(workingDir, Duration.ofSeconds(120), List.of(), Map.of(), args);
    }
}
