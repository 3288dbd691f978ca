package dev.cairn.s3.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class whose server gets {@link TestServer#DOMAIN} and whose SDK client addresses
 * buckets virtual-hosted style (see {@link TestServer#startFor} and {@link TestServer#clientFor}).
 * Used on subclasses that run a path-style test class again.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface VirtualHostStyle {
}
