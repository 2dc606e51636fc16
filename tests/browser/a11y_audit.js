// Runs first in every document of an audited browser context (Playwright init scripts are not
// subject to the page's CSP), after axe-core itself. Once the page has loaded, axe checks the
// whole document and the result goes back to the test through the exposed binding. After that,
// whenever the page's own scripts change it (a dialog opens, a hidden part is shown, a live
// region or a count is rewritten), axe checks the document again in that state. The test can
// also ask for a check at any moment, under a label of its own (`window.__a11yAuditNow`).
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
    // Checks queued or running; while there is one, the marker is in the page.
    let busy = 0;
    // The tail of the queue: each check starts once the one before has finished, since axe
    // refuses to run twice at once.
    let queue = Promise.resolve();
    // A change by script is checked once, however many mutations it made.
    let changeQueued = false;

    const nodesOf = (result) =>
        result.nodes.map((node) => ({
            target: node.target.map(String),
            html: node.html.slice(0, 300),
            summary:
                node.failureSummary ||
                [...node.any, ...node.all, ...node.none].map((check) => check.message).join("\n"),
        }));
    const resultsOf = (results) => ({
        violations: results.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            tags: violation.tags,
            nodes: nodesOf(violation),
        })),
        incomplete: results.incomplete.map((result) => ({
            id: result.id,
            impact: result.impact,
            help: result.help,
            tags: result.tags,
            nodes: nodesOf(result),
        })),
    });

    // A state is checked once its transitions have ended (a tooltip fading in is not yet the
    // tooltip); endless animations, such as a spinner, are not waited for, nor is anything for
    // longer than a second.
    const settled = () => {
        const ending = document
            .getAnimations()
            .filter((animation) => {
                const timing = animation.effect && animation.effect.getComputedTiming();
                return timing && Number.isFinite(timing.endTime) && animation.playState === "running";
            })
            .map((animation) => animation.finished.catch(() => undefined));
        if (!ending.length) {
            return Promise.resolve();
        }
        return Promise.race([
            Promise.all(ending),
            new Promise((resolve) => window.setTimeout(resolve, 1000)),
        ]);
    };

    const check = (phase, label, before = Promise.resolve()) => {
        busy += 1;
        if (document.body && !marker.isConnected) {
            document.body.appendChild(marker);
        }
        const run = Promise.all([queue, before])
            .then(() => {
                if (phase === "changed") {
                    changeQueued = false;
                }
                return phase === "audited" ? undefined : settled();
            })
            .then(() => axe.run({ exclude: [["#a11y-audit-pending"]] }, options))
            .then(resultsOf, (error) => ({ error: String((error && error.stack) || error) }))
            .then((outcome) => {
                const checked = { documentId, url: location.href, phase, label, ...outcome };
                // A check the test asked for goes back as the answer to its request.
                if (phase !== "requested") {
                    report(checked);
                }
                return checked;
            })
            .finally(() => {
                busy -= 1;
                if (!busy) {
                    marker.remove();
                }
            });
        queue = run.catch(() => undefined);
        window.__a11yAudit = queue;
        return run;
    };

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
    check("audited", "", loaded).then(() => observer.observe(document.documentElement, watched));

    // What a script changed, said the way a person would see it, for the report.
    const describe = (node) => {
        const element = node instanceof Element ? node : node.parentElement;
        if (!element) {
            return "the page";
        }
        const tag = element.tagName.toLowerCase();
        const id = element.id ? `#${element.id}` : "";
        const classes = !id && element.classList.length ? `.${[...element.classList].join(".")}` : "";
        return `<${tag}${id}${classes}>`;
    };
    const changeOf = (mutation) => {
        const target = mutation.target;
        if (mutation.type === "attributes") {
            const name = mutation.attributeName;
            if (name === "open") {
                return `${describe(target)} ${target.hasAttribute("open") ? "opened" : "closed"}`;
            }
            if (name === "hidden") {
                return `${describe(target)} ${target.hidden ? "hidden" : "shown"}`;
            }
            return `${name} of ${describe(target)} set`;
        }
        return `content of ${describe(target)} changed`;
    };
    const unwatched = __UNWATCHED_WIDGETS__.join(", ");
    const elementOf = (node) => (node instanceof Element ? node : node.parentElement);
    const isOurs = (node) =>
        node === marker ||
        marker.contains(node) ||
        Boolean(unwatched && elementOf(node) && elementOf(node).closest(unwatched));
    const observer = new MutationObserver((mutations) => {
        const changes = mutations.filter(
            (mutation) =>
                !isOurs(mutation.target) &&
                !(
                    mutation.type === "childList" &&
                    [...mutation.addedNodes, ...mutation.removedNodes].every(isOurs)
                ),
        );
        if (!changes.length || changeQueued) {
            return;
        }
        changeQueued = true;
        check("changed", `after a change by script: ${changeOf(changes[0])}`);
    });
    // Attributes that change what is shown, or what assistive technology is told; a script's
    // class or style changes (hover and focus effects) are not states of their own, nor is a
    // tooltip's aria-describedby set on the button it describes.
    const watched = {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
        attributeFilter: [
            "open",
            "hidden",
            "disabled",
            "value",
            "max",
            "role",
            "aria-hidden",
            "aria-expanded",
            "aria-invalid",
            "aria-live",
            "aria-labelledby",
            "aria-label",
        ],
    };

    window.__a11yAuditNow = (label) => check("requested", label);

    const hold = (event, replay) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        queue.then(replay);
    };
    window.addEventListener(
        "click",
        (event) => {
            if (!busy || event.defaultPrevented || event.button !== 0) {
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
            if (!busy) {
                return;
            }
            const form = event.target;
            const submitter = event.submitter && event.submitter.form === form ? event.submitter : null;
            hold(event, () => (submitter ? form.requestSubmit(submitter) : form.requestSubmit()));
        },
        true,
    );
})();
