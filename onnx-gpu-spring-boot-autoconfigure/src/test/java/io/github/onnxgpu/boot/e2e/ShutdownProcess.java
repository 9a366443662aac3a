package io.github.onnxgpu.boot.e2e;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;
import io.github.onnxgpu.boot.internal.session.ModelReloader;
import io.github.onnxgpu.boot.model.ModelStatus;
import io.github.onnxgpu.boot.model.OnnxInference;
import io.github.onnxgpu.boot.model.OnnxModelBusyException;
import io.github.onnxgpu.boot.model.OnnxModelBusyException.Reason;
import io.github.onnxgpu.boot.model.OrtSessionOptionsCustomizer;
import io.github.onnxgpu.boot.model.ReloadAttempt;

/**
 * An application that the JVM is asked to stop while it works, run by
 * {@link ShutdownUnderLoadTests} in a JVM of its own. Busy threads load the CPU beside
 * it, as on a loaded node, so that shutdown races show. The first argument is the
 * scenario: {@code creation}, {@code warmup}, {@code tuning}, {@code inference} (8
 * threads running through {@link OnnxInference}, {@link InferenceClients}),
 * {@code batching} ({@link BatchingClients}: 16 threads running a batched model through
 * {@link OnnxInference}, more than its queue holds), {@code http} (a web endpoint running
 * the raw {@link OrtSession} bean), {@code reload} (the clients of {@code inference}
 * beside reloads of their model, one after the other), {@code requests} (a warm-up
 * request to an endpoint that answers after 2 minutes) or {@code requests-after-warmup}
 * (warm-up requests configured, stopped during the model warmup); the others are Spring
 * Boot arguments. Lines starting with {@code MARK} tell the test what the application is
 * doing (and, once every session is created, when).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ShutdownProcess {

	static final int CLIENTS = 8;

	static final int INPUT_SIZE = 128;

	private static @Nullable String scenario;

	private static boolean busy;

	public static void main(String[] args) {
		String name = args[0];
		scenario = name;
		// a service without a web server keeps its JVM alive with threads of its own
		Thread keepAlive = new Thread(() -> sleep(Long.MAX_VALUE), "keep-alive");
		keepAlive.start();
		SpringApplication application = new SpringApplication(ShutdownProcess.class);
		boolean web = "http".equals(name) || name.startsWith("requests");
		application.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
		application.run(Arrays.copyOfRange(args, 1, args.length));
	}

	@Bean
	OrtSessionOptionsCustomizer markSessionCreation() {
		return (model, options) -> {
			if ("creation".equals(scenario) && "large".equals(model)) {
				loadTheCpu();
			}
			mark("creating " + model);
		};
	}

	@Bean
	static BeanPostProcessor markSessionsCreated() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				// the registry's bean method returns once every session is created
				if (bean instanceof ManagedModelRegistry) {
					mark("sessions created at " + System.currentTimeMillis());
				}
				return bean;
			}

		};
	}

	@Bean
	ApplicationListener<WebServerInitializedEvent> markPort() {
		// the test's HTTP clients read the port the server bound (server.port=0), so no
		// port chosen beforehand can be taken by another process in between
		return (event) -> mark("port " + event.getWebServer().getPort());
	}

	@Bean
	StartWork startWork(ManagedModelRegistry registry, OnnxInference inference,
			ObjectProvider<ModelReloader> reloader) {
		return new StartWork(registry, inference, reloader);
	}

	@Bean
	RouterFunction<ServerResponse> runRawSession(@Qualifier("detector") OrtSession session) {
		return RouterFunctions.route().GET("/slow", (request) -> {
			// a warm-up request's endpoint that answers after far longer than any bound
			mark("warm-up request running");
			// what shutdown's interrupt throws here is the starter's to keep quiet
			Thread.sleep(120_000);
			return ServerResponse.ok().body("late");
		}).POST("/run", (request) -> {
			OrtEnvironment environment = OrtEnvironment.getEnvironment();
			try (OnnxTensor image = image(environment);
					OrtSession.Result result = session.run(Map.of("image", image))) {
				return ServerResponse.ok().body("outputs=" + result.size());
			}
		}).build();
	}

	/**
	 * Starts the scenario's work when the application is ready, before the warmup (which
	 * runs on the same event).
	 */
	static final class StartWork implements ApplicationListener<ApplicationReadyEvent>, Ordered {

		private final ManagedModelRegistry registry;

		private final OnnxInference inference;

		private final ObjectProvider<ModelReloader> reloader;

		StartWork(ManagedModelRegistry registry, OnnxInference inference, ObjectProvider<ModelReloader> reloader) {
			this.registry = registry;
			this.inference = inference;
			this.reloader = reloader;
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

		@Override
		public void onApplicationEvent(ApplicationReadyEvent event) {
			loadTheCpu();
			if ("warmup".equals(scenario) || "tuning".equals(scenario) || "requests-after-warmup".equals(scenario)) {
				daemon("warming-watch", () -> {
					while (this.registry.get("detector").status() != ModelStatus.WARMING) {
						Thread.onSpinWait();
					}
					mark("warming");
				});
			}
			if ("reload".equals(scenario)) {
				// clients beside reloads, one after the other, as long as the JVM lives
				CountDownLatch running = new CountDownLatch(CLIENTS);
				for (int i = 0; i < CLIENTS; i++) {
					daemon("client-" + i, () -> runThroughOnnxInference(this.inference, running));
				}
				ModelReloader models = this.reloader.getObject();
				daemon("reloads", () -> {
					try {
						running.await();
						while (this.registry.get("detector").status() != ModelStatus.READY) {
							Thread.sleep(5);
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					mark("reloading");
					while (true) {
						ReloadAttempt attempt = models.reload("detector", "test");
						mark("reload " + attempt.outcome() + " " + attempt.reason());
					}
				});
			}
			if ("batching".equals(scenario)) {
				new BatchingClients(this.inference).start();
			}
			if ("inference".equals(scenario)) {
				CountDownLatch running = new CountDownLatch(CLIENTS);
				new InferenceClients(this.inference, running).start();
				daemon("clients-watch", () -> {
					try {
						running.await();
						mark("clients running");
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
		}

	}

	private static void runThroughOnnxInference(OnnxInference inference, CountDownLatch running) {
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OnnxTensor image = image(environment)) {
			while (true) {
				try (OrtSession.Result result = inference.run("detector", Map.of("image", image))) {
					running.countDown();
				}
			}
		}
		catch (Exception ex) {
			// expected once shutdown closes the model: OnnxInference refuses new runs
			mark("client stopped: " + ex.getMessage());
		}
	}

	/**
	 * The {@code inference} scenario's {@link #CLIENTS} callers, each running through
	 * {@link OnnxInference} until a run is refused. At shutdown a hook of its own waits
	 * (30 s at most) for every caller to end, and prints a line
	 * {@code MARK clients ended} with how many ended and how: refused for the shutdown
	 * (the model closed) or by another exception, each named, and the count of results.
	 */
	static final class InferenceClients {

		private final OnnxInference inference;

		private final CountDownLatch running;

		private final List<Thread> callers = new ArrayList<>();

		private final LongAdder results = new LongAdder();

		// how each caller ended: SHUTDOWN, or the exception
		private final Queue<String> endings = new ConcurrentLinkedQueue<>();

		InferenceClients(OnnxInference inference, CountDownLatch running) {
			this.inference = inference;
			this.running = running;
		}

		void start() {
			for (int i = 0; i < CLIENTS; i++) {
				Thread caller = new Thread(this::call, "client-" + i);
				caller.setDaemon(true);
				this.callers.add(caller);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(this::awaitCallers, "clients-ended"));
			this.callers.forEach(Thread::start);
		}

		private void call() {
			try (OnnxTensor image = image(OrtEnvironment.getEnvironment())) {
				while (true) {
					try (OrtSession.Result result = this.inference.run("detector", Map.of("image", image))) {
						this.results.increment();
						this.running.countDown();
					}
				}
			}
			catch (OnnxModelBusyException ex) {
				this.endings.add((ex.getReason() == Reason.SHUTTING_DOWN) ? "SHUTDOWN" : describe(ex));
			}
			catch (IllegalStateException ex) {
				// what OnnxInference throws for a model closed by the shutdown
				boolean closed = String.valueOf(ex.getMessage()).equals("ONNX model 'detector' is closed");
				this.endings.add(closed ? "SHUTDOWN" : describe(ex));
			}
			catch (Exception ex) {
				this.endings.add(describe(ex));
			}
		}

		private static String describe(Exception ex) {
			return ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}

		private void awaitCallers() {
			int ended = awaitEnd(this.callers);
			long shutdown = this.endings.stream().filter("SHUTDOWN"::equals).count();
			List<String> other = this.endings.stream().filter((ending) -> !"SHUTDOWN".equals(ending)).toList();
			mark("clients ended " + ended + " of " + CLIENTS + ", by shutdown " + shutdown + ", by other "
					+ other.size() + " " + other + "; results " + this.results.sum());
		}

	}

	private static int awaitEnd(List<Thread> threads) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		int ended = 0;
		for (Thread thread : threads) {
			try {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			ended += thread.isAlive() ? 0 : 1;
		}
		return ended;
	}

	/**
	 * Callers of a batched model, more than its workers and queue take, each running
	 * through {@link OnnxInference} until a run is refused for shutdown; refused for a
	 * full queue or a timeout, a caller tries again. Marks {@code batching clients
	 * running} once every caller has had a result and one was refused for a full queue.
	 * At shutdown a hook of its own waits (30 s at most) for every caller to end, and
	 * prints a line {@code MARK batching clients ended} with how many ended and how, and
	 * the counts of results and refusals.
	 */
	static final class BatchingClients {

		static final int CALLERS = 16;

		private final OnnxInference inference;

		private final List<Thread> callers = new ArrayList<>();

		private final CountDownLatch served = new CountDownLatch(CALLERS);

		private final CountDownLatch refusedForAFullQueue = new CountDownLatch(1);

		private final LongAdder results = new LongAdder();

		private final Map<Reason, LongAdder> refusals = Map.of(Reason.QUEUE_FULL, new LongAdder(), Reason.TIMEOUT,
				new LongAdder(), Reason.SHUTTING_DOWN, new LongAdder());

		// how each caller ended: SHUTTING_DOWN, or the exception
		private final Queue<String> endings = new ConcurrentLinkedQueue<>();

		BatchingClients(OnnxInference inference) {
			this.inference = inference;
		}

		void start() {
			for (int i = 0; i < CALLERS; i++) {
				Thread caller = new Thread(this::call, "batching-client-" + i);
				caller.setDaemon(true);
				this.callers.add(caller);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(this::awaitCallers, "batching-clients-ended"));
			this.callers.forEach(Thread::start);
			daemon("batching-clients-watch", () -> {
				try {
					this.served.await();
					this.refusedForAFullQueue.await();
					mark("batching clients running");
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

		private void call() {
			boolean counted = false;
			try (OnnxTensor image = image(OrtEnvironment.getEnvironment())) {
				while (true) {
					try (OrtSession.Result result = this.inference.run("detector", Map.of("image", image))) {
						this.results.increment();
						if (!counted) {
							counted = true;
							this.served.countDown();
						}
					}
					catch (OnnxModelBusyException ex) {
						this.refusals.get(ex.getReason()).increment();
						if (ex.getReason() == Reason.SHUTTING_DOWN) {
							this.endings.add(Reason.SHUTTING_DOWN.name());
							return;
						}
						if (ex.getReason() == Reason.QUEUE_FULL) {
							this.refusedForAFullQueue.countDown();
						}
						// what a client told Retry-After would do, shorter
						sleep(1);
					}
				}
			}
			catch (Exception ex) {
				this.endings.add(ex.getClass().getSimpleName() + ": " + ex.getMessage());
			}
		}

		private void awaitCallers() {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			int ended = 0;
			for (Thread caller : this.callers) {
				try {
					caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				ended += caller.isAlive() ? 0 : 1;
			}
			long shuttingDown = this.endings.stream().filter(Reason.SHUTTING_DOWN.name()::equals).count();
			List<String> other = this.endings.stream()
				.filter((ending) -> !Reason.SHUTTING_DOWN.name().equals(ending))
				.toList();
			mark("batching clients ended " + ended + " of " + CALLERS + ", by shutting_down " + shuttingDown
					+ ", by other " + other.size() + " " + other + "; results " + this.results.sum()
					+ ", refused queue_full " + this.refusals.get(Reason.QUEUE_FULL).sum() + ", timeout "
					+ this.refusals.get(Reason.TIMEOUT).sum() + ", shutting_down "
					+ this.refusals.get(Reason.SHUTTING_DOWN).sum());
		}

	}

	static OnnxTensor image(OrtEnvironment environment) throws OrtException {
		return OnnxTensor.createTensor(environment, FloatBuffer.allocate(3 * INPUT_SIZE * INPUT_SIZE),
				new long[] { 1, 3, INPUT_SIZE, INPUT_SIZE });
	}

	private static void daemon(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void mark(String what) {
		System.out.println("MARK " + what);
	}

	/**
	 * Start the busy threads, once the work to interrupt begins: started with the JVM,
	 * they would only slow the start-up down.
	 */
	private static synchronized void loadTheCpu() {
		// only in a JVM of its own, started through main: never in a test's JVM
		if (busy || scenario == null) {
			return;
		}
		busy = true;
		for (int i = 0; i < Integer.getInteger("shutdown.busy-threads", 3); i++) {
			daemon("busy-" + i, ShutdownProcess::spin);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void spin() {
		long count = 0;
		while (!Thread.currentThread().isInterrupted()) {
			count++;
		}
		System.out.println(count);
	}

}
