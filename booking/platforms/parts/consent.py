"""Cookie and consent banners: accept them the way a visitor does, by the button's name.

A button counts when its name reads like an acceptance ("Accept all", "Allow all cookies", "I agree",
"I understand", "Got it", "OK") and the dialog, region or block around it talks about cookies,
privacy or consent. Consent managers' own ids (OneTrust, Cookiebot, Usercentrics, HubSpot) are a first try.
"""
from __future__ import annotations

from booking.browser.page import Page
from booking.browser.semantic import run_script

KNOWN_IDS = ("#onetrust-accept-btn-handler", "#accept-recommended-btn-handler",
             "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll", "#CybotCookiebotDialogBodyButtonAccept",
             '[data-testid="uc-accept-all-button"]', "#hs-eu-confirmation-button")

_ACCEPT_JS = """
const [known] = arguments;
const TL = window.__bookerTL;
if (!TL) return 'booker:no-reader';
const shown = (el) => el.getClientRects().length > 0 && !TL.isInaccessible(el);
for (const selector of known) {
  const el = document.querySelector(selector);
  if (el && shown(el)) return el;
}
const accept = /^(accept|allow|agree|i agree|i understand|i accept|got it|ok|okay)( all)?( cookies)?[.!]?$|^(accept|allow) all( cookies)?$/i;
const about = /cookie|privacy|consent|tracking|gdpr/i;
const buttons = TL.queryAllByRole(document.body, 'button', {hidden: false, name: (name) => accept.test(name.trim())});
for (const button of buttons) {
  let box = button.parentElement;
  // the banner around it: a small block (not the page) that talks about cookies or consent
  for (let depth = 0; box && box !== document.body && depth < 6; depth++, box = box.parentElement) {
    const words = box.textContent || '';
    if (words.length > 1500) break;
    if (about.test(box.getAttribute('aria-label') || '') || about.test(words)) return button;
  }
}
return null;
"""


def accept_consent(page: Page) -> bool:
    """Accept a consent banner if one shows now (no wait when there is none); True when one was."""
    button = run_script(page.driver, _ACCEPT_JS, list(KNOWN_IDS))
    if not button:
        return False
    page.click(button, "the cookie banner's accept button")
    page.wait_for(lambda d: not run_script(d, _ACCEPT_JS, list(KNOWN_IDS)), "the cookie banner to close")
    return True
