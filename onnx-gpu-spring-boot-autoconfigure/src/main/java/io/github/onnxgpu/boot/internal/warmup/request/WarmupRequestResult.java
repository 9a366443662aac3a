package io.github.onnxgpu.boot.internal.warmup.request;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.WarmupRequestMethod;

/**
 * What the runs of one warm-up request answered and how long each took, so far while it
 * runs.
 *
 * @param index the position in {@code onnx.warmup.requests}
 * @param method the HTTP method
 * @param path the path with query values masked
 * @param url the URL called, port included, with query values masked
 * @param statuses the status of each run that got an answer
 * @param iterations the duration of each run that got an answer
 * @param startedAt when the first run started
 * @param finishedAt when the last run ended, {@code null} while the request runs
 * @param error why the request failed (an unexpected status, a connection error, a
 * timeout), {@code null} when it succeeded or still runs
 */
public record WarmupRequestResult(int index, WarmupRequestMethod method, String path, String url,
		List<Integer> statuses, List<Duration> iterations, Instant startedAt, @Nullable Instant finishedAt,
		@Nullable String error) {

	public WarmupRequestResult {
		statuses = List.copyOf(statuses);
		iterations = List.copyOf(iterations);
	}

	/**
	 * Whether every run so far answered an expected status.
	 * @return whether the request succeeded
	 */
	public boolean succeeded() {
		return this.error == null;
	}

	/**
	 * Whether the request still runs.
	 * @return whether it has not finished
	 */
	public boolean running() {
		return this.finishedAt == null;
	}

}
