package io.github.onnxgpu.boot.actuate;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;

import io.github.onnxgpu.boot.autoconfigure.OnnxAutoConfiguration;
import io.github.onnxgpu.boot.autoconfigure.actuate.OnnxEndpointAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OnnxEndpointRuntimeHints}: every record the endpoint's operations can
 * answer with, found by walking their return types, has the reflection Jackson needs in a
 * native image, both from the registrar the endpoint imports and from Spring AOT's
 * processing of an application with the endpoint.
 */
class OnnxEndpointRuntimeHintsTests {

	@Test
	void everyRecordTheOperationsReachIsFound() {
		Set<Class<?>> records = serialisedRecords();
		// a record of the endpoint's that no operation reaches is dead, or hidden behind
		// a type the walk cannot see into (Object, a raw Map) and so without a hint
		Set<Class<?>> declared = new LinkedHashSet<>(Arrays.asList(OnnxDescriptors.class.getDeclaredClasses()));
		declared.removeIf((type) -> !type.isRecord());
		assertThat(records).containsAll(declared).hasSizeGreaterThanOrEqualTo(21);
	}

	@Test
	void importedRegistrarCoversEveryRecordTheOperationsReturn() {
		RuntimeHints hints = new RuntimeHints();
		ImportRuntimeHints imported = AnnotatedElementUtils.findMergedAnnotation(OnnxEndpoint.class,
				ImportRuntimeHints.class);
		assertThat(imported).isNotNull();
		for (Class<? extends RuntimeHintsRegistrar> registrar : imported.value()) {
			BeanUtils.instantiateClass(registrar).registerHints(hints, getClass().getClassLoader());
		}
		assertHints(hints);
	}

	@Test
	void aotProcessingOfAnApplicationWithTheEndpointRegistersEveryRecord() {
		TestGenerationContext generation = new TestGenerationContext();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OnnxAutoConfiguration.class, OnnxEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=onnx")
			.prepare((context) -> new ApplicationContextAotGenerator()
				.processAheadOfTime((GenericApplicationContext) context.getSourceApplicationContext(), generation));
		assertHints(generation.getRuntimeHints());
	}

	private static void assertHints(RuntimeHints hints) {
		for (Class<?> record : serialisedRecords()) {
			assertThat(RuntimeHintsPredicates.reflection().onType(record)).as(record.getName()).accepts(hints);
			for (RecordComponent component : record.getRecordComponents()) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
					.as(record.getSimpleName() + "." + component.getName())
					.accepts(hints);
			}
		}
	}

	// the records reachable from the return types of the operations of the endpoint and
	// of its web extension, through type arguments (lists, maps, web responses) and
	// record components
	private static Set<Class<?>> serialisedRecords() {
		Set<Class<?>> records = new LinkedHashSet<>();
		for (Class<?> type : new Class<?>[] { OnnxEndpoint.class, OnnxEndpointWebExtension.class }) {
			for (Method method : type.getDeclaredMethods()) {
				if (AnnotatedElementUtils.hasAnnotation(method, ReadOperation.class)
						|| AnnotatedElementUtils.hasAnnotation(method, WriteOperation.class)
						|| AnnotatedElementUtils.hasAnnotation(method, DeleteOperation.class)) {
					walk(method.getGenericReturnType(), records);
				}
			}
		}
		return records;
	}

	private static void walk(Type type, Set<Class<?>> records) {
		if (type instanceof ParameterizedType parameterized) {
			walk(parameterized.getRawType(), records);
			for (Type argument : parameterized.getActualTypeArguments()) {
				walk(argument, records);
			}
		}
		else if (type instanceof WildcardType wildcard) {
			for (Type bound : wildcard.getUpperBounds()) {
				walk(bound, records);
			}
		}
		else if (type instanceof Class<?> named) {
			if (named.isArray()) {
				walk(named.componentType(), records);
			}
			else if (named.isRecord() && records.add(named)) {
				for (RecordComponent component : named.getRecordComponents()) {
					walk(component.getGenericType(), records);
				}
			}
		}
	}

}
