package io.github.onnxgpu.boot.internal.diagnostics;

import org.jspecify.annotations.Nullable;

/**
 * The application runs on a Spring Boot version that this starter does not support.
 */
public class UnsupportedSpringBootVersionException extends IllegalStateException {

	/**
	 * What fixes it.
	 */
	static final String ACTION = "Upgrade the application to Spring Boot 4.0 or later, "
			+ "or remove io.github.onnxgpu:onnx-gpu-spring-boot-starter from its dependencies.";

	private final @Nullable String version;

	/**
	 * Create a new exception.
	 * @param version the Spring Boot version found, {@code null} when unknown
	 */
	public UnsupportedSpringBootVersionException(@Nullable String version) {
		super("The ONNX GPU Spring Boot starter needs Spring Boot 4.0 or later, but this application runs on Spring Boot "
				+ ((version != null) ? version : "(version unknown)") + ". " + ACTION);
		this.version = version;
	}

	/**
	 * The Spring Boot version found.
	 * @return the version, {@code null} when unknown
	 */
	public @Nullable String getVersion() {
		return this.version;
	}

}
