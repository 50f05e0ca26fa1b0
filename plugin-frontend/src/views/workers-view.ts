/** lensboard's workers view; this minimal element says so until the view itself lands. */
import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ViewElement } from './view-base.js';

@customElement('lb-workers-view')
export class LbWorkersView extends ViewElement {
  override render() {
    return html`<p>The workers view is not part of this build yet.</p>`;
  }
}
