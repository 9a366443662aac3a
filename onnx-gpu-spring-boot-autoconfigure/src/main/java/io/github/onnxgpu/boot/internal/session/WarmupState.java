package io.github.onnxgpu.boot.internal.session;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.warmup.SampleInProgress;
import io.github.onnxgpu.boot.internal.warmup.WarmupResult;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.ModelWarmup;

/**
 * Where a model's warmup stands: its status, the sample running, the last result, and the
 * run options that can stop a running warmup. Only the warmup, driven from this package,
 * changes it.
 */
final class WarmupState {

	private volatile ModelStatus status;

	private volatile @Nullable WarmupResult result;

	private volatile @Nullable SampleInProgress sampleInProgress;

	private final Object monitor = new Object();

	private @Nullable RunOptions run;

	WarmupState(ModelStatus status) {
		this.status = status;
	}

	ModelStatus status() {
		return this.status;
	}

	@Nullable WarmupResult result() {
		return this.result;
	}

	// the public view of the result
	@Nullable ModelWarmup summary() {
		WarmupResult last = this.result;
		return (last != null)
				? new ModelWarmup(last.startedAt(), last.finishedAt(), last.samples().size(), last.error()) : null;
	}

	@Nullable SampleInProgress sampleInProgress() {
		return this.sampleInProgress;
	}

	void sampleInProgress(@Nullable SampleInProgress sample) {
		this.sampleInProgress = sample;
	}

	/**
	 * Take the state of a version swapped in by a reload.
	 * @param status its status
	 * @param result its warmup's result
	 */
	void adopt(ModelStatus status, @Nullable WarmupResult result) {
		this.result = result;
		this.status = status;
	}

	void started(RunOptions runOptions) {
		synchronized (this.monitor) {
			this.run = runOptions;
		}
		this.status = ModelStatus.WARMING;
	}

	// once this returns, terminate() no longer touches the run options
	void ended() {
		synchronized (this.monitor) {
			this.run = null;
		}
	}

	void finished(WarmupResult result) {
		ended();
		this.result = result;
		this.status = result.succeeded() ? ModelStatus.READY : ModelStatus.FAILED;
	}

	void terminate() {
		// under the monitor: the warmup thread closes its run options only after
		// ended(), so they are never used here once freed
		synchronized (this.monitor) {
			RunOptions options = this.run;
			if (options != null) {
				try {
					options.setTerminate(true);
				}
				catch (OrtException | IllegalStateException ex) {
					// nothing left to stop
				}
			}
		}
	}

}
