/**
 * JUnit support that the modules' tests share: registered through
 * {@code META-INF/services}, so that every module that tests with the model builder
 * prints why a test was skipped.
 */
@NullMarked
package io.github.onnxgpu.testsupport;

import org.jspecify.annotations.NullMarked;
