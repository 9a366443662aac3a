package io.github.onnxgpu.boot.internal.session;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;

import io.github.onnxgpu.boot.internal.batching.Batcher;

/**
 * Starts the batchers of the batched models when the context starts, and stops them when
 * it stops: after the web server's graceful shutdown (a lower phase than Boot's web
 * server lifecycles), so that the requests it lets finish are still batched. Runs queued
 * then, and those sent afterwards, are refused for the shutdown; running batches finish
 * within the wait. Created, a batcher takes runs into its queue but runs them only once
 * started.
 */
public class BatchersLifecycle implements SmartLifecycle {

	/**
	 * The phase: started before, and stopped after, Boot's web server lifecycles
	 * ({@code SmartLifecycle.DEFAULT_PHASE - 2048} and {@code - 1024}).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ManagedModelRegistry registry;

	private final Duration wait;

	private volatile boolean running;

	/**
	 * Create the lifecycle of the registry's batchers.
	 * @param registry the models
	 * @param wait how long stopping waits for the batches running
	 */
	public BatchersLifecycle(ManagedModelRegistry registry, Duration wait) {
		this.registry = registry;
		this.wait = wait;
	}

	@Override
	public void start() {
		for (ManagedModel model : this.registry.models()) {
			Batcher batcher = model.batcher();
			if (batcher != null) {
				batcher.start();
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		for (ManagedModel model : this.registry.models()) {
			Batcher batcher = model.batcher();
			if (batcher != null) {
				batcher.close(this.wait);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
