package io.github.onnxgpu.boot.internal.session;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;

/**
 * The {@link OrtSession} bean of a model that tuning may still serve with another
 * session: the bean is injected before warmup, and tuning picks the session after it. So
 * the bean is a proxy whose every call goes to the session in force, through
 * {@link ManagedModel#call}, which also counts it as a run in flight when the model
 * closes.
 */
final class SwappableSessionProxy {

	private SwappableSessionProxy() {
	}

	static OrtSession of(ManagedModel model) {
		return (OrtSession) factory((MethodInterceptor) (invocation) -> {
			Method method = invocation.getMethod();
			Object[] arguments = invocation.getArguments();
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
