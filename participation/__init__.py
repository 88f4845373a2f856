"""Citizens take part: e-mail subscriptions with double opt-in, Zukunftsdialoge with iCal, ideas with public answers.

May import `catalogue.models`, the `catalogue.public` helpers and `cms`; nothing in `catalogue`
or `home` imports this app. The catalogue's templates show its parts through template includes
and the `participation_tags` library.
"""
