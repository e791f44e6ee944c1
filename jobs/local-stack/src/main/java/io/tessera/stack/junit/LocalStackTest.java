package io.tessera.stack.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.tessera.stack.ServiceName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that talks to real servers of the local stack. The stack is started once per
 * test JVM (or reused if it already runs in the test home) and stopped at the end of the run; test
 * methods take a {@link TestStack} parameter for addresses and names of their own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@ExtendWith(LocalStackExtension.class)
public @interface LocalStackTest {

    /** The services the test needs (plus what they require, and their companions); those a bare {@code stack up} starts by default. */
    ServiceName[] value() default {};
}
