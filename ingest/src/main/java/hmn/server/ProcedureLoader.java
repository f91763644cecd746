package hmn.server;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.UserAggregationFunction;
import org.neo4j.procedure.UserFunction;

/**
 * Registers the hmn procedures and functions (every class under package {@code hmn} outside this module that declares
 * {@code @Procedure}, {@code @UserFunction} or {@code @UserAggregationFunction} methods) in an embedded database, so
 * that the same plugin code that a Neo4j server loads from its plugins directory runs in process.
 */
public final class ProcedureLoader {
    private static volatile List<Class<?>> found;

    private ProcedureLoader() {}

    /** Registers every procedure class found on the class path; returns the classes. */
    public static List<Class<?>> register(GraphDatabaseService db) {
        GlobalProcedures procedures =
                ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(GlobalProcedures.class);
        List<Class<?>> classes = procedureClasses();
        for (Class<?> cls : classes) {
            try {
                if (declares(cls, Procedure.class)) {
                    procedures.registerProcedure(cls);
                }
                if (declares(cls, UserFunction.class)) {
                    procedures.registerFunction(cls);
                }
                if (declares(cls, UserAggregationFunction.class)) {
                    procedures.registerAggregationFunction(cls);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the procedures of " + cls.getName() + ": " + e, e);
            }
        }
        return classes;
    }

    /** The classes under package {@code hmn}, outside this module, that declare procedures or functions. */
    public static List<Class<?>> procedureClasses() {
        List<Class<?>> classes = found;
        if (classes == null) {
            classes = scan();
            found = classes;
        }
        return classes;
    }

    private static List<Class<?>> scan() {
        ClassLoader loader = ProcedureLoader.class.getClassLoader();
        URL own = ProcedureLoader.class.getProtectionDomain().getCodeSource().getLocation();
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources("hmn/");
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("jar".equals(root.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    if (connection.getJarFileURL().equals(own)) {
                        continue;
                    }
                    try (JarFile jar = new JarFile(
                            Path.of(connection.getJarFileURL().toURI()).toFile())) {
                        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                            String name = e.nextElement().getName();
                            if (name.startsWith("hmn/") && name.endsWith(".class")) {
                                names.add(name);
                            }
                        }
                    }
                } else if ("file".equals(root.getProtocol())) {
                    Path dir = Path.of(root.toURI());
                    Path base = dir.getParent();
                    if (base.toUri().toURL().equals(own) || own.toURI().equals(base.toUri())) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(p -> p.toString().endsWith(".class"))
                                .forEach(p ->
                                        names.add(base.relativize(p).toString().replace('\\', '/')));
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot scan the class path for hmn procedures: " + e, e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            if (name.contains("$") || name.endsWith("package-info.class") || name.endsWith("module-info.class")) {
                continue;
            }
            String className =
                    name.substring(0, name.length() - ".class".length()).replace('/', '.');
            try {
                Class<?> cls = Class.forName(className, false, loader);
                if (declares(cls, Procedure.class)
                        || declares(cls, UserFunction.class)
                        || declares(cls, UserAggregationFunction.class)) {
                    classes.add(cls);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // not loadable here (e.g. a class needing an optional dependency): not a procedure we can run
            }
        }
        return List.copyOf(classes);
    }

    private static boolean declares(Class<?> cls, Class<? extends java.lang.annotation.Annotation> annotation) {
        try {
            for (Method m : cls.getDeclaredMethods()) {
                if (m.isAnnotationPresent(annotation)) {
                    return true;
                }
            }
        } catch (LinkageError e) {
            return false;
        }
        return false;
    }
}
