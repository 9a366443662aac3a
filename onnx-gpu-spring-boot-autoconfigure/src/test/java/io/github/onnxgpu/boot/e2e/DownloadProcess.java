package io.github.onnxgpu.boot.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.boot.internal.session.ManagedModelRegistry;

/**
 * An application whose models are at {@code http:} locations, run by
 * {@link RemoteModelProcessTests} in a JVM of its own: with a heap smaller than its
 * model, or stopped by SIGTERM while its model downloads. The system property
 * {@code download.busy-threads} starts that many busy threads beside it, as on a loaded
 * node: once the file {@code download.busy-when} names exists, if set (the test creates
 * it when the download has begun: started with the JVM, they would only slow the start-up
 * down). Lines starting with {@code MARK} tell the test what the application did.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DownloadProcess {

	public static void main(String[] args) {
		String busyWhen = System.getProperty("download.busy-when");
		if (busyWhen != null) {
			daemon("busy-when", () -> {
				while (!Files.exists(Path.of(busyWhen))) {
					sleep(10);
				}
				loadTheCpu();
			});
		}
		else {
			loadTheCpu();
		}
		System.out.println("MARK heap " + Runtime.getRuntime().maxMemory());
		SpringApplication application = new SpringApplication(DownloadProcess.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		context.getBean(ManagedModelRegistry.class)
			.models()
			.forEach((model) -> System.out.println("MARK loaded " + model.name() + " " + model.status()));
		System.exit(SpringApplication.exit(context));
	}

	private static void loadTheCpu() {
		for (int i = 0; i < Integer.getInteger("download.busy-threads", 0); i++) {
			daemon("busy-" + i, DownloadProcess::spin);
		}
		System.out.println("MARK busy");
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
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
