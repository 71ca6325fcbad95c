// The link chart's short labels (dashboards/components/overview.py): a node with an `ofont`
// is drawn by its short label ("V3", initials) while the zoom is under its `oz` (where its
// name would be drawn too small to read from across a room), by its name from there on.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    overview: {
        attach: function (_layout, id) {
            const root = document.getElementById(id);
            const el = root && [root, ...root.querySelectorAll('*')]
                .find(e => e._cyreg && e._cyreg.cy);
            if (!el) { return window.dash_clientside.no_update; }
            const cy = el._cyreg.cy;
            const update = () => {
                const z = cy.zoom();
                cy.batch(() => cy.nodes('[ofont]').forEach(n => {
                    const on = z < n.data('oz');
                    if (n.hasClass('overview') !== on) { n.toggleClass('overview', on); }
                }));
            };
            // The layout fitted the chart with the labels drawn then; once the short labels
            // are in, fit again if one of them now reaches past the edge.
            const settle = () => {
                update();
                const b = cy.elements(':visible').renderedBoundingBox({includeLabels: true});
                if (b.x1 < 0 || b.y1 < 0 || b.x2 > cy.width() || b.y2 > cy.height()) {
                    cy.fit(cy.elements(':visible'), 24);
                }
            };
            if (!cy.scratch('_swOverview')) {
                cy.scratch('_swOverview', true);
                // a changed element loses the class (Dash sets its classes): set it again
                cy.on('viewport add class', update);
                cy.on('layoutstop', () => requestAnimationFrame(settle));
            }
            settle();
            requestAnimationFrame(settle);
            return window.dash_clientside.no_update;
        },
    },
});
