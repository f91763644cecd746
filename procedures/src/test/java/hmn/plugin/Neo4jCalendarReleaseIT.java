package hmn.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin jar (built for Neo4j 5.26 and Java 17) loads and answers in the current Neo4j calendar release,
 * 2026.08.1, which needs Java 21+: what {@code compat/check-neo4j-2026.sh} does, as a test. It runs
 * {@code compat/src/Neo4jCompatCheck.java} with a Java 21+ JDK (from {@code $JAVA21_HOME} or {@code /usr/lib/jvm})
 * on that release's class path ({@code compat/pom.xml}, resolved by Maven into the local repository: offline when
 * it is there, downloaded otherwise). Skipped when no Java 21+ JDK is found, or when the release is not in the local
 * repository and Maven Central cannot be reached at all; a failed download with the network up fails.
 */
class Neo4jCalendarReleaseIT {
    private static final long STEP_TIMEOUT_SECONDS = 300;

    @Test
    void should_load_the_plugin_jar_and_answer_in_neo4j_2026_on_java_21_or_later() throws Exception {
        // given a Java 21+ JDK, the plugin jar and the calendar release's class path
        Path jdk = javaHome21().orElse(null);
        assumeTrue(
                jdk != null,
                "no Java 21+ JDK found: install one (e.g. Temurin 25 under /usr/lib/jvm) or set" + " JAVA21_HOME");
        Path jar = Path.of(System.getProperty("hmn.pluginJar", "target/hmn-procedures-plugin.jar"))
                .toAbsolutePath();
        assertThat(jar)
                .as("run 'mvn verify' so that the plugin jar is built first")
                .exists();
        Path work = Files.createDirectories(
                Path.of("target", "neo4j-calendar-release").toAbsolutePath());
        Path classpath = work.resolve("classpath.txt");
        resolveClassPath(classpath);
        Path classes = Files.createDirectories(work.resolve("classes"));
        Run javac = run(List.of(
                jdk.resolve("bin/javac").toString(),
                "-d",
                classes.toString(),
                "-cp",
                Files.readString(classpath).trim(),
                Path.of("compat/src/Neo4jCompatCheck.java").toAbsolutePath().toString()));
        assertThat(javac.code()).as("javac: %s", javac.output()).isZero();

        // when
        Run check = run(List.of(
                jdk.resolve("bin/java").toString(),
                "-cp",
                classes
                        + java.io.File.pathSeparator
                        + Files.readString(classpath).trim(),
                "Neo4jCompatCheck",
                jar.toString()));

        // then
        assertThat(check.code()).as("Neo4jCompatCheck: %s", check.output()).isZero();
        assertThat(check.output())
                .contains(
                        "Neo4j 2026.08.1 on Java ",
                        "hmn procedures: [hmn.cluster.compare, hmn.cluster.differenceNeurons, hmn.cluster.sharedNeurons,"
                                + " hmn.cluster.stats, hmn.cluster.validity, hmn.materialize, hmn.neuron.concepts,"
                                + " hmn.neuron.topImages]",
                        "sharedNeurons(L1-0): [layer1:0@1.0]; materialize uses: 3",
                        "OK: the plugin jar loads and answers");
    }

    /** {@code compat/pom.xml}'s class path into {@code out}: offline first, then from Maven Central. */
    private static void resolveClassPath(Path out) throws IOException, InterruptedException {
        Path pom = Path.of("compat/pom.xml").toAbsolutePath();
        if (Files.isRegularFile(out)
                && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(pom)) > 0
                && Stream.of(Files.readString(out).trim().split(java.io.File.pathSeparator))
                        .allMatch(entry -> Files.isRegularFile(Path.of(entry)))) {
            return; // resolved by an earlier run
        }
        List<String> mvn = new ArrayList<>(List.of(
                mavenExecutable(),
                "-B",
                "-q",
                "-Dstyle.color=never",
                "-f",
                pom.toString(),
                "dependency:build-classpath",
                "-Dmdep.outputFile=" + out));
        String repo = System.getProperty("hmn.localRepository", "");
        if (!repo.isBlank() && !repo.startsWith("${")) {
            mvn.add("-Dmaven.repo.local=" + repo);
        }
        List<String> offline = new ArrayList<>(mvn);
        offline.add(1, "-o");
        Run local = run(offline);
        if (local.code() == 0 && Files.isRegularFile(out)) {
            return;
        }
        assumeTrue(
                reachable("repo.maven.apache.org", 443),
                "Neo4j 2026.08.1 is not in the local Maven repository"
                        + " and Maven Central cannot be reached: run once with network access");
        Run online = run(mvn);
        assertThat(online.code())
                .as("downloading Neo4j 2026.08.1's class path with Maven Central reachable: %s", online.output())
                .isZero();
    }

    private static String mavenExecutable() {
        String home = System.getProperty("hmn.mavenHome", "");
        if (!home.isBlank() && !home.startsWith("${") && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code $JAVA21_HOME}, else the newest JDK of version 21 or later under /usr/lib/jvm. */
    static Optional<Path> javaHome21() throws IOException {
        String env = System.getenv("JAVA21_HOME");
        if (env != null && !env.isBlank()) {
            Path home = Path.of(env);
            return majorVersion(home) >= 21 ? Optional.of(home) : Optional.empty();
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> majorVersion(h) >= 21)
                    .max(Comparator.comparingInt(Neo4jCalendarReleaseIT::majorVersion));
        }
    }

    /** The JDK's feature version from its {@code release} file (0 when it is not a JDK with javac). */
    private static int majorVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/javac"))) {
            return 0;
        }
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private record Run(int code, String output) {}

    /** Runs a command with stdout and stderr together; killed (and failed) after {@link #STEP_TIMEOUT_SECONDS}. */
    private static Run run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("hmn-compat", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            boolean finished = p.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(finished)
                    .as(
                            "%s finished within %d s: %s",
                            command.get(0), STEP_TIMEOUT_SECONDS, Files.readString(log, StandardCharsets.UTF_8))
                    .isTrue();
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }
}
