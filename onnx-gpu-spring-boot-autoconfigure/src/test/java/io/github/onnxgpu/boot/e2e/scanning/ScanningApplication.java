package io.github.onnxgpu.boot.e2e.scanning;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Scans its own package through {@code @SpringBootApplication}: seen by
 * {@code E2eApplicationsTests}, which must see scanning through meta-annotations. Never
 * started.
 */
@SpringBootApplication
public class ScanningApplication {

}
