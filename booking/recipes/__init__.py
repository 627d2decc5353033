"""Startup recipes: the YAML steps that book a page no platform module knows. ``steps`` holds one
validated model per step kind, ``locators`` how a step names an element (CSS, text, or role + name /
label), ``schema`` the recipe and its limits, ``loading`` turns YAML into a
recipe (or a RecipeError naming the step and the field), ``legacy`` reads the original plan's flat
selectors as a recipe. Reading a recipe never touches a browser: the steps run in
:mod:`booking.platforms.custom`.

May import: booking.domain.
"""
