package io.github.onnxgpu.boot.internal.warmup.request;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets shutdown end the server's side of a warm-up request: Spring Boot's graceful
 * shutdown waits for requests in flight (up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s by default), and a warm-up
 * request stopped by SIGTERM has no client left to answer. The thread serving it is
 * interrupted, and what the interrupted handler throws is not reported as an error. Other
 * requests pass through untouched.
 *
 * @since 0.1.0
 */
public final class WarmupRequestFilter extends OncePerRequestFilter implements Ordered {

	private final WarmupRequestRunner runner;

	/**
	 * Create a new filter.
	 * @param runner the runner whose requests it recognises
	 */
	public WarmupRequestFilter(WarmupRequestRunner runner) {
		this.runner = runner;
	}

	@Override
	public int getOrder() {
		// outside every other filter, so that nothing reports what shutdown interrupted
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.runner.isOwnRequest(request.getHeader(WarmupRequestRunner.HEADER))) {
			chain.doFilter(request, response);
			return;
		}
		Thread thread = Thread.currentThread();
		this.runner.serving(thread);
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (!this.runner.isStopping()) {
				throw ex;
			}
			// stopped by shutdown: nobody waits for this answer
			if (!response.isCommitted()) {
				response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			}
		}
		finally {
			this.runner.served(thread);
			if (this.runner.isStopping()) {
				// the interrupt was for this request, not for the pooled thread's next
				// one
				Thread.interrupted();
			}
		}
	}

}
