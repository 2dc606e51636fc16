// Runs first in every document of an audited browser context (Playwright init scripts are not
// subject to the page's CSP), after axe-core itself. Once the page has loaded, axe checks the
// whole document and the result goes back to the test through the exposed binding.
//
// A check must never be lost to a fast test: until it has finished, a marker element stays in
// the page (the test's locator handler waits for the check whenever it is there) and any link
// or form that would leave the page is held back, then replayed.
(() => {
    if (window.top !== window || !/^https?:$/.test(location.protocol)) {
        return;
    }
    const options = __AXE_OPTIONS__;
    const report = window.__a11yReport;
    const documentId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const marker = document.createElement("div");
    marker.id = "a11y-audit-pending";
    // Off-screen but with a size, so Playwright counts it as visible; it covers nothing.
    Object.assign(marker.style, {
        position: "fixed",
        top: "-10px",
        left: "-10px",
        width: "1px",
        height: "1px",
        overflow: "hidden",
        pointerEvents: "none",
    });
    let finished = false;

    const loaded = new Promise((resolve) => {
        document.addEventListener(
            "DOMContentLoaded",
            () => {
                document.body.appendChild(marker);
                report({ documentId, url: location.href, phase: "loaded" });
            },
            { once: true },
        );
        window.addEventListener("load", () => resolve(), { once: true });
    });

    const audit = loaded
        .then(() => axe.run({ exclude: [["#a11y-audit-pending"]] }, options))
        .then(
            (results) => ({
                violations: results.violations.map((violation) => ({
                    id: violation.id,
                    impact: violation.impact,
                    help: violation.help,
                    nodes: violation.nodes.map((node) => ({
                        target: node.target.map(String),
                        html: node.html.slice(0, 300),
                        summary: node.failureSummary || "",
                    })),
                })),
            }),
            (error) => ({ error: String((error && error.stack) || error) }),
        )
        .then((outcome) =>
            report({ documentId, url: location.href, phase: "audited", ...outcome }),
        )
        .finally(() => {
            finished = true;
            marker.remove();
        });
    window.__a11yAudit = audit;

    const hold = (event, replay) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        audit.then(replay);
    };
    window.addEventListener(
        "click",
        (event) => {
            if (finished || event.defaultPrevented || event.button !== 0) {
                return;
            }
            const link = event.target instanceof Element && event.target.closest("a[href]");
            if (!link || (link.target && link.target !== "_self")) {
                return;
            }
            const href = link.getAttribute("href");
            if (href.startsWith("#") || href.startsWith("javascript:")) {
                return;
            }
            hold(event, () => link.click());
        },
        true,
    );
    window.addEventListener(
        "submit",
        (event) => {
            if (finished) {
                return;
            }
            const form = event.target;
            const submitter = event.submitter && event.submitter.form === form ? event.submitter : null;
            hold(event, () => (submitter ? form.requestSubmit(submitter) : form.requestSubmit()));
        },
        true,
    );
})();
