package io.github.onnxgpu.boot.internal.session;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.tuning.TuningReport;

/**
 * A model's tuning: the job still to run at warmup, and what tuning found and chose.
 */
final class TuningState {

	// dropped once tuning has run: it may hold the bytes of a model read from a jar
	private volatile @Nullable TuningJob job;

	private volatile TuningReport report;

	TuningState(@Nullable TuningJob job, TuningReport report) {
		this.job = job;
		this.report = report;
	}

	@Nullable TuningJob job() {
		return this.job;
	}

	TuningReport report() {
		return this.report;
	}

	void report(TuningReport report) {
		this.report = report;
	}

	void finished(TuningReport report) {
		this.report = report;
		release();
	}

	// the job's source may be a downloaded model's temporary file
	void release() {
		TuningJob released = this.job;
		this.job = null;
		if (released != null) {
			released.source().release();
		}
	}

}
