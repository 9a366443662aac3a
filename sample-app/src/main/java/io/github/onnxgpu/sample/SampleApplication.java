package io.github.onnxgpu.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.github.onnxgpu.sample.predict.PredictProperties;

/**
 * A service that serves a generated convolutional model through the starter: warmed at
 * start-up, answering {@code POST /predict}, with a warmup chart at {@code /}.
 */
@SpringBootApplication
@EnableConfigurationProperties(PredictProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
