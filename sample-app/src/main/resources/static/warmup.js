'use strict';

// Charts each model's warmup from /actuator/onnx: per warmup shape, the first iteration
// (memory planning, cuDNN algorithm search) against the last (steady state).
(function () {
	const models = document.getElementById('models');
	const runtime = document.getElementById('runtime');

	function element(tag, className, text) {
		const node = document.createElement(tag);
		if (className) {
			node.className = className;
		}
		if (text !== undefined) {
			node.textContent = text;
		}
		return node;
	}

	function describeShape(inputs) {
		const names = Object.keys(inputs);
		const dims = (name) => inputs[name].join('x');
		return names.length === 1 ? dims(names[0]) : names.map((name) => name + ': ' + dims(name)).join(', ');
	}

	function bar(kind, millis, scale) {
		const row = element('div', 'row');
		const value = element('div', 'bar ' + kind);
		value.style.width = Math.max(0, Math.round(millis * scale)) + '%';
		value.title = kind + ' iteration: ' + millis.toFixed(2) + ' ms';
		row.append(value, element('span', 'millis', millis.toFixed(1) + ' ms'));
		return row;
	}

	function chart(warmup) {
		const chart = element('div', 'chart');
		const longest = Math.max(...warmup.samples.flatMap((sample) => [sample.firstMillis, sample.lastMillis]));
		// the longest bar takes 85% of the width, leaving room for its label
		const scale = longest > 0 ? 85 / longest : 0;
		for (const sample of warmup.samples) {
			const shape = describeShape(sample.inputs);
			const entry = element('div', 'shape');
			entry.dataset.shape = shape;
			const bars = element('div', 'bars');
			bars.append(bar('first', sample.firstMillis, scale), bar('last', sample.lastMillis, scale));
			entry.append(element('div', 'label', shape), bars);
			chart.append(entry);
		}
		return chart;
	}

	function describeModel(name, model) {
		const section = element('section', 'model');
		section.dataset.model = name;
		section.append(element('h2', null, name));
		let provider = model.provider;
		if (model.requestedProvider && model.requestedProvider !== model.provider) {
			provider += ' (requested ' + model.requestedProvider + ')';
		}
		section.append(element('p', 'meta', model.status + ' \u00b7 ' + provider
				+ (model.warmup ? ' \u00b7 warmup ' + model.warmup.durationMillis.toFixed(0) + ' ms' : '')));
		if (model.fallbackReason) {
			section.append(element('p', 'meta', 'Fallback: ' + model.fallbackReason));
		}
		if (model.warmup && model.warmup.error) {
			section.append(element('p', 'error', 'Warmup failed: ' + model.warmup.error));
		}
		if (model.warmup && model.warmup.samples.length > 0) {
			section.append(chart(model.warmup));
		}
		else {
			section.append(element('p', 'meta', 'No warmup recorded yet.'));
		}
		return section;
	}

	function render(onnx) {
		runtime.textContent = 'ONNX Runtime ' + onnx.onnxRuntimeVersion + ' \u00b7 providers: '
				+ onnx.providers.filter((provider) => provider.loadable).map((provider) => provider.name).join(', ');
		models.replaceChildren(...Object.entries(onnx.models).map(([name, model]) => describeModel(name, model)));
		models.dataset.rendered = 'true';
		const warming = Object.values(onnx.models).some((model) => model.status === 'LOADING' || model.status === 'WARMING');
		if (warming) {
			setTimeout(load, 1000);
		}
	}

	async function load() {
		try {
			const response = await fetch('actuator/onnx', { headers: { Accept: 'application/json' } });
			if (!response.ok) {
				throw new Error('/actuator/onnx answered ' + response.status);
			}
			render(await response.json());
		}
		catch (error) {
			runtime.replaceChildren(element('span', 'error', 'Could not read /actuator/onnx: ' + error.message));
		}
	}

	async function predict(event) {
		event.preventDefault();
		const file = document.getElementById('predict-image').files[0];
		const fit = document.getElementById('predict-fit').value;
		const result = document.getElementById('predict-result');
		if (!file) {
			return;
		}
		const response = await fetch('predict?fit=' + encodeURIComponent(fit), {
			method: 'POST',
			headers: { 'Content-Type': file.type || 'application/octet-stream' },
			body: file
		});
		result.textContent = JSON.stringify(await response.json(), null, 2);
	}

	document.getElementById('predict-form').addEventListener('submit', predict);
	load();
})();
