package io.github.onnxgpu.boot.internal.diagnostics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import io.github.onnxgpu.boot.test.RecordingFailureAnalysisReporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link SpringBootVersionCheck} and
 * {@link UnsupportedSpringBootVersionFailureAnalyzer}. An application on a real Spring
 * Boot 3.5 is started by sample-app's {@code ConsumerPathTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringBootVersionCheckTests {

	private static final String LINE = "The ONNX GPU Spring Boot starter needs Spring Boot 4.0 or later, "
			+ "but this application runs on Spring Boot 3.5.16. Upgrade the application to Spring Boot 4.0 or later, "
			+ "or remove io.github.onnxgpu:onnx-gpu-spring-boot-starter from its dependencies.";

	@Test
	void initializeOnSpringBoot4DoesNothing() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			assertThatNoException().isThrownBy(() -> new SpringBootVersionCheck().initialize(context));
		}
	}

	@Test
	void initializeWhenSpringBoot4TypeIsMissingFailsWithVersionFoundAndFix() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.setClassLoader(new FilteredClassLoader(SpringBootVersionCheck.BOOT_4_TYPE));
			SpringBootVersionCheck check = new SpringBootVersionCheck(SpringBootVersionCheck::isSpringBoot4,
					() -> "3.5.16");
			assertThatException().isThrownBy(() -> check.initialize(context))
				.isInstanceOf(UnsupportedSpringBootVersionException.class)
				.withMessage(LINE);
		}
	}

	@Test
	void initializeWhenVersionIsUnknownSaysSo() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			SpringBootVersionCheck check = new SpringBootVersionCheck((classLoader) -> false, () -> null);
			assertThatException().isThrownBy(() -> check.initialize(context))
				.withMessageContaining("runs on Spring Boot (version unknown). Upgrade");
		}
	}

	@Test
	void isRegisteredSoThatSpringApplicationRunsItFirst(CapturedOutput output) {
		RecordingFailureAnalysisReporter.reset();
		// the application's class loader hides the Boot 4 type from the check, as Boot 3
		// would not have it; everything else is the real registration and reporting
		SpringApplication application = new SpringApplication(
				new DefaultResourceLoader(new FilteredClassLoader(SpringBootVersionCheck.BOOT_4_TYPE)),
				EmptyApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run().close())
			.isInstanceOf(UnsupportedSpringBootVersionException.class);
		// the failure analysis Spring Boot reports (the banner itself is off in tests)
		FailureAnalysis report = RecordingFailureAnalysisReporter.last();
		assertThat(report).isNotNull();
		assertThat(report.getDescription())
			.startsWith("The ONNX GPU Spring Boot starter needs Spring Boot 4.0 or later, but this application runs on "
					+ "Spring Boot " + SpringBootVersion.getVersion() + ".");
		assertThat(report.getAction()).isEqualTo(UnsupportedSpringBootVersionException.ACTION);
		assertThat(output).doesNotContain("NoClassDefFoundError");
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyApplication {

	}

}
