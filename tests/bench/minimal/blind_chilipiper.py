"""Book the first slot on the blind Chili Piper build by hand: booking links open on the week strip and
ask for details after a time; routers ask first, may offer "Schedule a meeting", then a review step."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import intro_message, waiter

DAY = (By.XPATH, '//button[contains(., "Press enter to navigate available slots") and not(@disabled)]')
SLOT = (By.XPATH, '//section[@aria-label="Available times"]//li/button')
REQUIRED_TEXT = '//form//input[@type="text" and @required and not(@name="FirstName" or @name="LastName")]'


def _details(driver, wait, invitee, company: str) -> None:
    for name, value in (("FirstName", invitee.first), ("LastName", invitee.last), ("Email", invitee.email),
                        ("Phone", invitee.phone)):
        wait.until(EC.element_to_be_clickable((By.NAME, name))).clear()
        driver.find_element(By.NAME, name).send_keys(value)
    for xpath, value in ((REQUIRED_TEXT, company), ("//form//textarea", intro_message(invitee))):
        for box in driver.find_elements(By.XPATH, xpath):
            box.clear()
            box.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, 'form button[type="submit"]').click()


def book(driver, url: str, invitee, **extra) -> None:
    driver.get(url)
    wait, company = waiter(driver), extra.get("company", "AXA Innovation")
    for consent in driver.find_elements(By.XPATH, '//dialog//button[.="Allow all"]'):
        consent.click()
    frames = driver.find_elements(By.CSS_SELECTOR, 'iframe[title="Schedule a time | Chili Piper"]')
    if frames:
        driver.switch_to.frame(frames[0])
    router = bool(frames) or "/concierge-router/" in url
    if router:
        _details(driver, wait, invitee, company)
        step = '//button[.="Schedule a meeting"] | //h1[.="When would you like to meet?"]'
        if wait.until(EC.presence_of_element_located((By.XPATH, step))).tag_name == "button":
            driver.find_element(By.XPATH, '//button[.="Schedule a meeting"]').click()
    wait.until(EC.element_to_be_clickable(DAY)).click()
    wait.until(EC.element_to_be_clickable(SLOT)).click()
    if router:
        wait.until(EC.element_to_be_clickable((By.XPATH, '//button[.="Book meeting"]'))).click()
    else:
        _details(driver, wait, invitee, company)
    wait.until(EC.visibility_of_element_located((By.XPATH, '//h1[.="Meeting scheduled"]')))
