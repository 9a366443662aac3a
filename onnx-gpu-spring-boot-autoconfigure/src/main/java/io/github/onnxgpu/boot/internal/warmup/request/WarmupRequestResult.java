package io.github.onnxgpu.boot.internal.warmup.request;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.model.WarmupRequestMethod;

/**
 * What the runs of one warm-up request answered and how long each took.
 *
 * @param index the position in {@code onnx.warmup.requests}
 * @param method the HTTP method
 * @param path the path with query values masked
 * @param statuses the status of each run that got an answer
 * @param iterations the duration of each run that got an answer
 * @param error why the request failed (an unexpected status or a connection error),
 * {@code null} when it succeeded
 */
public record WarmupRequestResult(int index, WarmupRequestMethod method, String path, List<Integer> statuses,
		List<Duration> iterations, @Nullable String error) {

	public WarmupRequestResult {
		statuses = List.copyOf(statuses);
		iterations = List.copyOf(iterations);
	}

	/**
	 * Whether every run answered an expected status.
	 * @return whether the request succeeded
	 */
	public boolean succeeded() {
		return this.error == null;
	}

}
