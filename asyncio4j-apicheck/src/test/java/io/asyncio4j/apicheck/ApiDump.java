package io.asyncio4j.apicheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one JPMS module as text, one line per type and member, in a stable order:
 * what a user of the module can see and call, so that a change to it shows up as a diff.
 *
 * <p>What counts: every public type of a package the module exports to everybody (qualified
 * exports are internal), nested public types of those, and their public and protected
 * constructors, methods and fields, including the public members a public class inherits from a
 * class the user cannot name (javac makes those callable through the public class). Synthetic
 * members, bridges, and anything private or package-private are left out. A line is the member's
 * {@code toGenericString()} without its declaring class, so generic signatures, {@code throws}
 * clauses, {@code default} and {@code static} are part of it; a type's line carries its
 * supertypes and, for a sealed type, the types it permits.
 *
 * <p>kotlinx's binary-compatibility-validator and okio keep such a file in the repository; this
 * is the same idea with reflection over the built classes (no plugin, nothing downloaded).
 */
final class ApiDump {
    private ApiDump() {
    }

    /** A module found on the class path: its descriptor and where its classes are. */
    record ModuleRoot(ModuleDescriptor descriptor, Path root) {
    }

    /** The dump of the module whose classes are at {@code root} (a directory or a jar). */
    static String dump(ModuleRoot module, ClassLoader loader) {
        Set<String> exported = module.descriptor().exports().stream()
            .filter(e -> !e.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toCollection(TreeSet::new));
        StringBuilder out = new StringBuilder();
        for (String className : classNames(module.root(), exported)) {
            Class<?> c;
            try {
                c = Class.forName(className, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot load " + className, e);
            }
            if (isVisible(c)) {
                out.append(describe(c));
            }
        }
        return out.toString();
    }

    /** The type's lines: its header, then its members indented, sorted, then a blank line. */
    static String describe(Class<?> c) {
        StringBuilder out = new StringBuilder(header(c)).append('\n');
        Set<String> members = new TreeSet<>();
        addMembers(c, c, members);
        // Public members of a superclass the user cannot name are reached through this class.
        for (Class<?> s = c.getSuperclass(); s != null && !isVisible(s); s = s.getSuperclass()) {
            addMembers(s, c, members);
        }
        for (String m : members) {
            out.append("  ").append(m).append('\n');
        }
        return out.append('\n').toString();
    }

    private static String header(Class<?> c) {
        StringBuilder h = new StringBuilder(c.toGenericString());
        Type superclass = c.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
            h.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = c.getGenericInterfaces();
        if (interfaces.length > 0 && !c.isAnnotation()) {
            h.append(c.isInterface() ? " extends " : " implements ")
                .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (c.isSealed()) {
            h.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses())
                .map(Class::getName).sorted().collect(Collectors.joining(", ")));
        }
        return h.toString();
    }

    private static void addMembers(Class<?> declaring, Class<?> shownIn, Set<String> into) {
        List<Member> members = new ArrayList<>();
        members.addAll(Arrays.asList(declaring.getDeclaredFields()));
        members.addAll(Arrays.asList(declaring.getDeclaredMethods()));
        if (declaring == shownIn) {
            members.addAll(Arrays.asList(declaring.getDeclaredConstructors()));
        }
        for (Member m : members) {
            int mod = m.getModifiers();
            boolean reachable = Modifier.isPublic(mod)
                || (Modifier.isProtected(mod) && !Modifier.isFinal(shownIn.getModifiers()));
            if (!reachable || m.isSynthetic() || (m instanceof Method method && method.isBridge())) {
                continue;
            }
            into.add(line(m));
        }
    }

    private static String line(Member m) {
        String s = switch (m) {
            case Field f -> f.toGenericString();
            case Constructor<?> k -> k.toGenericString();
            case Method method -> method.toGenericString();
            default -> throw new IllegalArgumentException(m.toString());
        };
        // "public int io.asyncio4j.Foo.size()" -> "public int size()": the type's header names it.
        String qualified = m.getDeclaringClass().getTypeName() + ".";
        if (m instanceof Executable) {
            int paren = s.indexOf('(');
            int at = s.lastIndexOf(qualified, paren);
            return at < 0 ? s : s.substring(0, at) + s.substring(at + qualified.length());
        }
        int at = s.lastIndexOf(qualified);
        return at < 0 ? s : s.substring(0, at) + s.substring(at + qualified.length());
    }

    /** Whether a user outside the module can name the class (it and its enclosing types public). */
    static boolean isVisible(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            int mod = k.getModifiers();
            boolean nestedProtected = k.getDeclaringClass() != null && Modifier.isProtected(mod);
            if (!Modifier.isPublic(mod) && !nestedProtected) {
                return false;
            }
        }
        return true;
    }

    /** The binary names of the classes in the given packages under a root, sorted. */
    static List<String> classNames(Path root, Set<String> packages) {
        try {
            if (Files.isDirectory(root)) {
                return classNamesUnder(root, packages);
            }
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return classNamesUnder(jar.getPath("/"), packages);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> classNamesUnder(Path root, Set<String> packages) throws IOException {
        List<String> names = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = root.resolve(pkg.replace('.', '/'));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
                    .map(n -> pkg + "." + n.substring(0, n.length() - ".class".length()))
                    .forEach(names::add);
            }
        }
        names.sort(null);
        return names;
    }

    /** The asyncio4j modules on this JVM's class path, by module name. */
    static List<ModuleRoot> modulesOnClassPath(String namePrefix) {
        List<ModuleRoot> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path root = Path.of(entry);
            ModuleDescriptor d = readDescriptor(root);
            if (d != null && d.name().startsWith(namePrefix)) {
                found.add(new ModuleRoot(d, root));
            }
        }
        found.sort((a, b) -> a.descriptor().name().compareTo(b.descriptor().name()));
        return found;
    }

    private static ModuleDescriptor readDescriptor(Path root) {
        try {
            if (Files.isDirectory(root)) {
                Path info = root.resolve("module-info.class");
                if (!Files.exists(info)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(info)) {
                    return ModuleDescriptor.read(in);
                }
            }
            if (!root.toString().endsWith(".jar") || !Files.exists(root)) {
                return null;
            }
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                Path info = jar.getPath("/module-info.class");
                if (!Files.exists(info)) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(info)) {
                    return ModuleDescriptor.read(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
