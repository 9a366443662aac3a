package io.github.onnxgpu.boot.internal.session;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The version of a model file that serves a model.
 *
 * @param sha256 the SHA-256 of the file in hex; {@code null} for the version loaded at
 * start-up when nothing needed its checksum (no {@code sha256}, tuning, TensorRT,
 * download or reload polling) until {@link ModelVersionHasher} has read it, in the
 * background once the application is ready
 * @param loadedAt when its sessions were created
 * @param location where it was read from, with credentials masked
 */
public record ModelVersion(@Nullable String sha256, Instant loadedAt, @Nullable String location) {

	ModelVersion withSha256(String sha256) {
		return new ModelVersion(sha256, this.loadedAt, this.location);
	}

}
