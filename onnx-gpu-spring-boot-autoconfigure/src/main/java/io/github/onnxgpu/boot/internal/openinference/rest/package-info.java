/**
 * The Open Inference Protocol's REST endpoints on Spring MVC: JSON bodies and Triton's
 * binary tensor data extension.
 */
@NullMarked
package io.github.onnxgpu.boot.internal.openinference.rest;

import org.jspecify.annotations.NullMarked;
