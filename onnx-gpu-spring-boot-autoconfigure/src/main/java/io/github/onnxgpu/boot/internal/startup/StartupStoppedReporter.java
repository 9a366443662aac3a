package io.github.onnxgpu.boot.internal.startup;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.core.Ordered;

/**
 * Keeps a start-up stopped by a JVM shutdown ({@link StartupStoppedException}, wherever
 * Spring wrapped it) from being reported as a start-up failure, with a banner and a stack
 * trace: the operator asked the application to stop, and {@link ShutdownWatch#stop} said
 * so in one line already. Ordered first, so that the failure analyzers do not see it.
 *
 * @since 0.1.0
 */
public class StartupStoppedReporter implements SpringBootExceptionReporter, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public boolean reportException(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof StartupStoppedException) {
				return true;
			}
		}
		return false;
	}

}
