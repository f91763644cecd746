package hmn.architecture;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * The package dependencies of compiled classes, as the JDK's jdeps reads them from the class files (so fully
 * qualified names in code count, not only imports), and the import cycles among them. Shared by every module's
 * {@code ArchitectureTest} through the core test jar.
 */
public record PackageGraph(Map<String, Set<String>> edges) {

    /** Every package of {@code classes} and the packages it uses (any, or only those matching {@code regex}). */
    public static PackageGraph of(Path classes, String regex) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(classes + " does not exist: compile first");
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps"));
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-verbose:package", "--multi-release", "17"));
        if (regex != null) {
            args.addAll(List.of("-e", regex));
        }
        args.add(classes.toString());
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("jdeps failed: " + out);
        }
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && !parts[0].endsWith(".class")) {
                edges.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[2]);
            }
        }
        return new PackageGraph(edges);
    }

    /** Every package that some package of the graph uses. */
    public Set<String> used() {
        Set<String> all = new TreeSet<>();
        edges.values().forEach(all::addAll);
        return all;
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted; empty when acyclic. */
    public List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> cycles = new ArrayList<>();
        int[] counter = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, cycles, counter);
            }
        }
        return cycles;
    }

    private void connect(
            String v,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            List<Set<String>> cycles,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!edges.containsKey(w)) {
                continue; // outside the classes examined
            }
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, cycles, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }
}
