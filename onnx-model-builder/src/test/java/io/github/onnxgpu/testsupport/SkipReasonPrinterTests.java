package io.github.onnxgpu.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link SkipReasonPrinter}.
 */
class SkipReasonPrinterTests {

	@Test
	void printsTheReasonOfEverySkippedTestAndNothingForOthers() {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		// without the listeners registered for the build, which would print to the
		// console
		Launcher launcher = LauncherFactory
			.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
		launcher.execute(LauncherDiscoveryRequestBuilder.request()
			.selectors(DiscoverySelectors.selectClass(SomeSkipped.class))
			.build(), new SkipReasonPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)));
		assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactlyInAnyOrder(
				"[SKIPPED] SkipReasonPrinterTests$SomeSkipped.assumed: Assumption failed: GPU tests run with -Pgpu",
				"[SKIPPED] SkipReasonPrinterTests$SomeSkipped.disabled: not on this machine");
	}

	/**
	 * Run by the test above only: Surefire leaves nested classes out.
	 */
	static class SomeSkipped {

		@Test
		void assumed() {
			assumeTrue(false, "GPU tests run with -Pgpu");
		}

		@Test
		@Disabled("not on this machine")
		void disabled() {
		}

		@Test
		void passes() {
		}

	}

}
