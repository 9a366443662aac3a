package io.github.onnxgpu.boot.e2e.scanning;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Scans the package it names through {@code @SpringBootApplication}'s
 * {@code scanBasePackages}, for {@code E2eApplicationsTests}. Never started.
 */
@SpringBootApplication(scanBasePackages = "io.github.onnxgpu.elsewhere")
public class ScanningElsewhereApplication {

}
