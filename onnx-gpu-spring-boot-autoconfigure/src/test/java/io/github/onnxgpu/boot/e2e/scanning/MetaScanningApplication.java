package io.github.onnxgpu.boot.e2e.scanning;

/**
 * Scans its own package through an annotation of its own ({@link ScansItsPackage}), for
 * {@code E2eApplicationsTests}. Never started.
 */
@ScansItsPackage
public class MetaScanningApplication {

}
