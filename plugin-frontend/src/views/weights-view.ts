/** lensboard's weights view; this minimal element says so until the view itself lands. */
import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ViewElement } from './view-base.js';

@customElement('lb-weights-view')
export class LbWeightsView extends ViewElement {
  override render() {
    return html`<p>The weights view is not part of this build yet.</p>`;
  }
}
