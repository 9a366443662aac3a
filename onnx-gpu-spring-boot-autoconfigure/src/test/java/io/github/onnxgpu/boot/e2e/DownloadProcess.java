package io.github.onnxgpu.boot.e2e;

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
 * node. Lines starting with {@code MARK} tell the test what the application did.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DownloadProcess {

	public static void main(String[] args) {
		for (int i = 0; i < Integer.getInteger("download.busy-threads", 0); i++) {
			Thread busy = new Thread(DownloadProcess::spin, "busy-" + i);
			busy.setDaemon(true);
			busy.start();
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

	private static void spin() {
		long count = 0;
		while (!Thread.currentThread().isInterrupted()) {
			count++;
		}
		System.out.println(count);
	}

}
