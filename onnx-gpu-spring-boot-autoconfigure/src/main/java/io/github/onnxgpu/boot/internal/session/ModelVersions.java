package io.github.onnxgpu.boot.internal.session;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The versions of a model: the one serving it, how many reloads were swapped in, their
 * history, and the definition as configured, which a reload loads again.
 */
final class ModelVersions {

	private volatile ModelVersion version;

	// bumped by every reload swapped in, so that binding pools made for the version
	// before are dropped
	private final AtomicLong generation = new AtomicLong();

	private final ReloadHistory reloads = new ReloadHistory();

	// before tuning or instances changed it
	private volatile @Nullable ModelDefinition configured;

	ModelVersions(ModelVersion version) {
		this.version = version;
	}

	ModelVersion version() {
		return this.version;
	}

	synchronized void version(ModelVersion version) {
		this.version = version;
	}

	/**
	 * Give the version its SHA-256, read after it was loaded.
	 * @param hashed the version whose file was read
	 * @param sha256 its SHA-256 in hex
	 */
	synchronized void hashed(ModelVersion hashed, String sha256) {
		if (this.version == hashed) {
			this.version = hashed.withSha256(sha256);
		}
	}

	synchronized void swappedIn(ModelVersion version) {
		this.version = version;
		this.generation.incrementAndGet();
	}

	long generation() {
		return this.generation.get();
	}

	ReloadHistory reloads() {
		return this.reloads;
	}

	@Nullable ModelDefinition configured() {
		return this.configured;
	}

	void configured(ModelDefinition definition) {
		this.configured = definition;
	}

}
