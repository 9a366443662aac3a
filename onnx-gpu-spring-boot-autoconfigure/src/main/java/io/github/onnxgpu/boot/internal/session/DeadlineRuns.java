package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;

import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason;

/**
 * Runs a model on its own within a deadline: past it, ONNX Runtime's terminate flag is
 * set on the run's {@link RunOptions}, and ONNX Runtime stops the run between two nodes.
 * The flag is set only while the run's options are open (the options are closed under the
 * same lock once the run returns), so a late deadline never touches freed native memory.
 */
final class DeadlineRuns {

	private static final ScheduledThreadPoolExecutor timer = timer();

	private DeadlineRuns() {
	}

	static Result run(String modelName, OrtSession session, Map<String, ? extends OnnxTensorLike> inputs,
			Set<String> outputs, Duration timeout) throws OrtException {
		Guard guard = new Guard();
		try (RunOptions options = new RunOptions()) {
			guard.options = options;
			ScheduledFuture<?> terminate = timer.schedule(guard::terminate, timeout.toNanos(), TimeUnit.NANOSECONDS);
			try {
				return session.run(inputs, outputs, options);
			}
			catch (OrtException ex) {
				if (guard.terminated()) {
					throw new OnnxModelBusyException(modelName, Reason.TIMEOUT,
							"ONNX model '" + modelName
									+ "': the run was terminated inside ONNX Runtime at its deadline of " + timeout
									+ " (OnnxRunOptions.timeout); it ran alone, so no other run was affected",
							Duration.ofSeconds(1));
				}
				throw ex;
			}
			finally {
				terminate.cancel(false);
				guard.finish();
			}
		}
	}

	private static ScheduledThreadPoolExecutor timer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "onnx-run-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

	private static final class Guard {

		private RunOptions options;

		private boolean finished;

		private boolean terminated;

		synchronized void terminate() {
			if (this.finished) {
				return;
			}
			try {
				this.options.setTerminate(true);
				this.terminated = true;
			}
			catch (OrtException ex) {
				// the run ends on its own
			}
		}

		synchronized boolean terminated() {
			return this.terminated;
		}

		synchronized void finish() {
			this.finished = true;
		}

	}

}
