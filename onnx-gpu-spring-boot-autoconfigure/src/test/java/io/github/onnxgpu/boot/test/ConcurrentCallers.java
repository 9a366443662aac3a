package io.github.onnxgpu.boot.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Callers that run at the same time, as request threads do: each starts at one signal and
 * makes its runs in turn; the first failure of any is thrown.
 */
public final class ConcurrentCallers {

	private ConcurrentCallers() {
	}

	/**
	 * Run callers at the same time and wait for all of them.
	 * @param callers how many callers
	 * @param runs how many runs each makes
	 * @param work one run of one caller
	 * @throws Exception the first failure, wrapped in an ExecutionException
	 */
	public static void run(int callers, int runs, CallerRun work) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int caller = 0; caller < callers; caller++) {
				int id = caller;
				done.add(threads.submit(() -> {
					start.await();
					for (int run = 0; run < runs; run++) {
						work.run(id, run);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> each : done) {
				each.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	/**
	 * One run of one caller.
	 */
	@FunctionalInterface
	public interface CallerRun {

		void run(int caller, int run) throws Exception;

	}

}
