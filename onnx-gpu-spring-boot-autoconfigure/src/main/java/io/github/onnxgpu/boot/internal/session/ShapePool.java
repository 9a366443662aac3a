package io.github.onnxgpu.boot.internal.session;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

import org.jspecify.annotations.Nullable;

import io.github.onnxgpu.boot.internal.warmup.ResolvedShape;

/**
 * The idle bindings of one model at one set of input shapes, and the requests (input
 * shapes as named by callers) that resolve to it.
 */
final class ShapePool {

	// the ways callers name one shape are few; more are resolved again rather than kept
	private static final int MAX_REQUESTS = 8;

	private final ResolvedShape shape;

	// ArrayBlockingQueue offers and polls without allocating
	private final @Nullable ArrayBlockingQueue<BindingState> idle;

	private volatile Request[] requests = new Request[0];

	private volatile boolean recordedReliable = true;

	private volatile boolean closed;

	volatile long lastUsed;

	ShapePool(ResolvedShape shape, int size) {
		this.shape = shape;
		this.idle = (size > 0) ? new ArrayBlockingQueue<>(size) : null;
	}

	Map<String, long[]> dimensions() {
		return this.shape.dimensions();
	}

	String dimensionsText() {
		return this.shape.toString();
	}

	boolean hasDimensions(Map<String, long[]> dimensions) {
		Map<String, long[]> own = this.shape.dimensions();
		if (own.size() != dimensions.size()) {
			return false;
		}
		for (Map.Entry<String, long[]> entry : own.entrySet()) {
			if (!Arrays.equals(entry.getValue(), dimensions.get(entry.getKey()))) {
				return false;
			}
		}
		return true;
	}

	boolean accepts(Map<String, long[]> request) {
		for (Request known : this.requests) {
			if (known.matches(request)) {
				return true;
			}
		}
		return false;
	}

	synchronized void accept(Map<String, long[]> request) {
		if (this.requests.length < MAX_REQUESTS && !accepts(request)) {
			Request[] more = Arrays.copyOf(this.requests, this.requests.length + 1);
			more[more.length - 1] = Request.of(request);
			this.requests = more;
		}
	}

	boolean recordedReliable() {
		return this.recordedReliable;
	}

	void forgetRecorded() {
		this.recordedReliable = false;
	}

	/**
	 * An idle binding's state.
	 * @return the state, or {@code null} when none is idle
	 */
	@Nullable BindingState poll() {
		return (this.idle != null) ? this.idle.poll() : null;
	}

	/**
	 * Keep a state for reuse, or close it when the pool is full or closed.
	 * @param state the state of a binding just closed
	 */
	void release(BindingState state) {
		state.closeResult();
		if (this.closed || this.idle == null || !this.idle.offer(state)) {
			state.close();
			return;
		}
		// closed meanwhile: the closer may have drained before the offer
		if (this.closed && this.idle.remove(state)) {
			state.close();
		}
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Close every idle binding; those in use are closed when their users close them.
	 */
	void close() {
		this.closed = true;
		if (this.idle != null) {
			BindingState state;
			while ((state = this.idle.poll()) != null) {
				state.close();
			}
		}
	}

	/**
	 * Input shapes as a caller named them, kept as arrays so that matching allocates
	 * nothing.
	 */
	private record Request(String[] names, long[][] dims) {

		static Request of(Map<String, long[]> request) {
			String[] names = new String[request.size()];
			long[][] dims = new long[request.size()][];
			int i = 0;
			for (Map.Entry<String, long[]> entry : request.entrySet()) {
				names[i] = entry.getKey();
				dims[i] = entry.getValue().clone();
				i++;
			}
			return new Request(names, dims);
		}

		boolean matches(Map<String, long[]> request) {
			if (request.size() != this.names.length) {
				return false;
			}
			for (int i = 0; i < this.names.length; i++) {
				if (!Arrays.equals(this.dims[i], request.get(this.names[i]))) {
					return false;
				}
			}
			return true;
		}

	}

}
