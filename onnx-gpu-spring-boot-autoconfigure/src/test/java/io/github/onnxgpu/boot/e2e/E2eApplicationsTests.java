package io.github.onnxgpu.boot.e2e;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

import io.github.onnxgpu.boot.e2e.scanning.MetaScanningApplication;
import io.github.onnxgpu.boot.e2e.scanning.ScanningApplication;
import io.github.onnxgpu.boot.e2e.scanning.ScanningElsewhereApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No application on the test class path scans this package: it holds the applications
 * other tests start in JVMs of their own ({@link ShutdownProcess} starts busy threads
 * once ready), which a scanning application in a test's JVM would pick up and run there,
 * loading the CPU of every test that JVM runs after it. Scanning is
 * {@code @ComponentScan} on the class or on any of its annotations, however deep
 * ({@code @SpringBootApplication}, an annotation of your own), and reaches this package
 * from the package it names or, naming none, the class's own.
 */
class E2eApplicationsTests {

	private static final String E2E = E2eApplicationsTests.class.getPackageName();

	@Test
	void noApplicationOnTheTestClassPathScansThisPackage() {
		Map<String, Set<String>> scanning = new TreeMap<>(scannedPackages("io.github.onnxgpu"));
		scanning.values().removeIf((packages) -> packages.stream().noneMatch(E2eApplicationsTests::coversE2e));
		assertThat(scanning).as("applications that scan %s (the packages they scan)", E2E).isEmpty();
	}

	@Test
	void scanningIsSeenThroughMetaAnnotations() {
		assertThat(scannedPackages(ScanningApplication.class.getPackageName())).containsOnly(
				Map.entry(ScanningApplication.class.getName(), Set.of(ScanningApplication.class.getPackageName())),
				Map.entry(MetaScanningApplication.class.getName(),
						Set.of(MetaScanningApplication.class.getPackageName())),
				Map.entry(ScanningElsewhereApplication.class.getName(), Set.of("io.github.onnxgpu.elsewhere")));
		assertThat(coversE2e(E2E)).isTrue();
		assertThat(coversE2e("io.github.onnxgpu")).isTrue();
		assertThat(coversE2e(ScanningApplication.class.getPackageName())).isFalse();
		assertThat(coversE2e("io.github.onnxgpu.boot.e2")).isFalse();
	}

	private static boolean coversE2e(String scanned) {
		return E2E.equals(scanned) || E2E.startsWith(scanned + ".");
	}

	/**
	 * The classes under a package that scan, each with the packages it scans.
	 * @param root where to look
	 * @return class name to scanned packages
	 */
	private static Map<String, Set<String>> scannedPackages(String root) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return !definition.getMetadata().isAnnotation();
			}

		};
		scanner.addIncludeFilter(
				(reader, factory) -> reader.getAnnotationMetadata().getAnnotations().isPresent(ComponentScan.class));
		Map<String, Set<String>> result = new TreeMap<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(root)) {
			AnnotationMetadata metadata = ((AnnotatedBeanDefinition) candidate).getMetadata();
			Set<String> packages = new TreeSet<>();
			metadata.getAnnotations().stream(ComponentScan.class).forEach((scan) -> packages.addAll(packages(scan)));
			if (packages.isEmpty()) {
				packages.add(ClassUtils.getPackageName(metadata.getClassName()));
			}
			result.put(metadata.getClassName(), packages);
		}
		return result;
	}

	private static Set<String> packages(MergedAnnotation<ComponentScan> scan) {
		Set<String> packages = new TreeSet<>(Arrays.asList(scan.getStringArray("basePackages")));
		for (Class<?> type : scan.getClassArray("basePackageClasses")) {
			packages.add(type.getPackageName());
		}
		return packages;
	}

}
