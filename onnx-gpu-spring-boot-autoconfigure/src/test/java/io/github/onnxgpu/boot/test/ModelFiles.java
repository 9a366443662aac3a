package io.github.onnxgpu.boot.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.onnxgpu.testmodels.TestModels;

/**
 * Writes generated models into a test's temporary folder and helps drive the application
 * lifecycle in context runner tests.
 */
public final class ModelFiles {

	private ModelFiles() {
	}

	/**
	 * Write a model and return its location as a Spring resource location.
	 * @param directory the folder
	 * @param fileName the file name
	 * @param bytes the model
	 * @return a {@code file:} location
	 */
	public static String write(Path directory, String fileName, byte[] bytes) {
		try {
			Path file = directory.resolve(fileName);
			Files.write(file, bytes);
			return "file:" + file.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static String convNet(Path directory) {
		return write(directory, "conv-net.onnx", TestModels.convNet());
	}

	/**
	 * Publish the event after which the starter warms models up, as
	 * {@link SpringApplication} does once the application has started.
	 * @param context the context
	 */
	public static void publishReady(ConfigurableApplicationContext context) {
		context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context, Duration.ZERO));
	}

}
