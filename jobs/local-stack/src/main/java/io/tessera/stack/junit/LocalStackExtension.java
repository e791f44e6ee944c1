package io.tessera.stack.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the local stack for integration tests: once per test JVM, in its own home
 * ({@code <repository>/target/test-stack}) on ports of its own (the defaults + 20000) so it never meets
 * a demo stack; {@code -Dtessera.test.ports.offset=N} moves them, for a second worktree testing beside the first. What it started, it stops when the run ends; what already ran (a developer keeping the
 * test stack warm with {@code ./platform --home target/test-stack stack up}) it leaves running.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Set<ServiceName> wanted = context.getTestClass()
                .map(type -> type.getAnnotation(LocalStackTest.class))
                .map(annotation -> annotation.value().length == 0 ? ServiceName.defaults() : EnumSet.copyOf(Arrays.asList(annotation.value())))
                .orElse(ServiceName.defaults());
        running(context).ensure(wanted);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String name = context.getTestMethod().map(m -> m.getName()).orElseGet(() -> context.getRequiredTestClass().getSimpleName());
        return new TestStack(running(context).settings(), name);
    }

    private static RunningStack running(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunningStack.class, key -> new RunningStack(), RunningStack.class);
    }

    /** The stack of this test JVM; closed by JUnit at the end of the run. */
    static final class RunningStack implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        private final LocalStack stack;
        private final Set<ServiceName> startedHere = EnumSet.noneOf(ServiceName.class);
        private final Thread shutdownHook = new Thread(this::stopStarted, "stop-test-stack");

        RunningStack() {
            Path home = testHome();
            writeTestPorts(home);
            this.stack = new LocalStack(StackSettings.load(home, Map.of()), System.out);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        StackSettings settings() {
            return stack.settings();
        }

        synchronized void ensure(Set<ServiceName> services) {
            startedHere.addAll(stack.up(services));
        }

        @Override
        public void close() {
            stopStarted();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway and finds nothing left to stop
            }
        }

        private synchronized void stopStarted() {
            if (!startedHere.isEmpty()) {
                stack.down(startedHere);
                startedHere.clear();
            }
        }

        private static Path testHome() {
            String root = System.getProperty("tessera.root");
            Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
            return base.resolve("target").resolve("test-stack");
        }

        /** The test home's platform.properties pins its ports, so {@code ./platform --home target/test-stack} finds the same stack. */
        private static void writeTestPorts(Path home) {
            int offset = Integer.getInteger("tessera.test.ports.offset", 20000);
            StackSettings defaults = StackSettings.load(home.resolve("no-such-home"), Map.of());
            StringBuilder properties = new StringBuilder("# the test stack: default ports + " + offset + ", written by LocalStackExtension\n");
            defaults.asMap().keySet().stream().filter(key -> key.endsWith(".port"))
                    .forEach(key -> properties.append(key).append('=').append(defaults.port(key) + offset).append('\n'));
            try {
                Files.createDirectories(home);
                Files.writeString(home.resolve(StackSettings.FILE_NAME), properties);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
