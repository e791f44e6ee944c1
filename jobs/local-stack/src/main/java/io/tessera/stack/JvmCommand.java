package io.tessera.stack;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** A {@code java} command line: one way of building it for every JVM the platform starts. */
public final class JvmCommand {

    private final Path java;
    private final List<String> options = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private String mainClass;
    private final List<String> arguments = new ArrayList<>();

    private JvmCommand(Path java) {
        this.java = java;
    }

    public static JvmCommand java(Path java) {
        return new JvmCommand(java);
    }

    public JvmCommand options(Collection<String> values) {
        options.addAll(values);
        return this;
    }

    public JvmCommand option(String value) {
        options.add(value);
        return this;
    }

    public JvmCommand systemProperty(String key, Object value) {
        options.add("-D" + key + "=" + value);
        return this;
    }

    public JvmCommand classpath(Collection<Path> entries) {
        entries.stream().map(Path::toString).forEach(classpath::add);
        return this;
    }

    public JvmCommand main(String className, String... args) {
        this.mainClass = className;
        arguments.addAll(List.of(args));
        return this;
    }

    public List<String> build() {
        if (mainClass == null) {
            throw new IllegalStateException("no main class");
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(options);
        if (!classpath.isEmpty()) {
            command.add("-cp");
            command.add(classpath.stream().collect(Collectors.joining(File.pathSeparator)));
        }
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
