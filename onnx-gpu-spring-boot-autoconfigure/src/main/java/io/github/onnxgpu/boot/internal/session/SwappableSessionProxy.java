package io.github.onnxgpu.boot.internal.session;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.aopalliance.intercept.MethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.framework.ProxyFactory;

/**
 * The {@link OrtSession} bean of a model that tuning may still serve with another
 * session: the bean is injected before warmup, and tuning picks the session after it. So
 * the bean is a proxy whose every call goes to the session in force, through
 * {@link ManagedModel#call}, which also counts it as a run in flight when the model
 * closes.
 * <p>
 * The sessions behind the bean are the starter's: every other caller of the model runs on
 * them, and the starter closes them at shutdown once no run is in flight. So
 * {@code close()} on the bean, which raw ONNX Runtime code calls on its sessions
 * (try-with-resources, {@code @PreDestroy}), closes nothing: it is ignored, with one
 * warning per bean naming the model and where it was called from. Ignored rather than
 * refused, so that such code keeps working (an exception would fail its
 * {@code @PreDestroy} or hide the result of its try block) while the warning shows the
 * call to remove.
 */
final class SwappableSessionProxy {

	private static final Log logger = LogFactory.getLog(SwappableSessionProxy.class);

	private SwappableSessionProxy() {
	}

	static OrtSession of(ManagedModel model) {
		AtomicBoolean warned = new AtomicBoolean();
		return (OrtSession) factory((MethodInterceptor) (invocation) -> {
			Method method = invocation.getMethod();
			Object[] arguments = invocation.getArguments();
			if (isClose(method)) {
				if (warned.compareAndSet(false, true)) {
					logger.warn("close() on the OrtSession bean of ONNX model '" + model.name() + "' is ignored: its "
							+ "sessions are the starter's, which every other caller runs on, and are closed at "
							+ "shutdown; remove the call (a try-with-resources or @PreDestroy on the injected "
							+ "session). Logged once per bean, called here:", new Exception("close() called"));
				}
				return null;
			}
			return model.call((session) -> invoke(method, session, arguments));
		}).getProxy(SwappableSessionProxy.class.getClassLoader());
	}

	/**
	 * The proxy's class, generated now: Spring AOT keeps each class that CGLIB generates
	 * while it processes the application, and a native image, which cannot generate
	 * classes at run time, loads it from there.
	 * @return the proxy class, the same that {@link #of} instantiates
	 */
	static Class<?> proxyClass() {
		return factory((MethodInterceptor) (invocation) -> {
			throw new IllegalStateException("Only the proxy class is generated here");
		}).getProxyClass(SwappableSessionProxy.class.getClassLoader());
	}

	private static boolean isClose(Method method) {
		return method.getName().equals("close") && method.getParameterCount() == 0;
	}

	private static ProxyFactory factory(MethodInterceptor interceptor) {
		ProxyFactory factory = new ProxyFactory();
		factory.setTargetClass(OrtSession.class);
		factory.setProxyTargetClass(true);
		factory.addAdvice(interceptor);
		return factory;
	}

	private static Object invoke(Method method, OrtSession session, Object[] arguments) throws OrtException {
		try {
			return method.invoke(session, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof OrtException ortException) {
				throw ortException;
			}
			if (cause instanceof RuntimeException runtimeException) {
				throw runtimeException;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
