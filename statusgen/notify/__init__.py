"""NOTIFY: tell people what a deploy published, once.

`statusgen notify` compares the events of the new build (derive.events) with the previously
deployed site's `/api/events.json` (previous.py), turns each new event into a message in the
site's language (message.py), and hands it to every channel whose filters match
(channels/: Slack, Teams, Discord, a signed webhook, e-mail). Delivery (send.py, over statusgen/web.py) retries what
may succeed later, never lets one channel hold up another, and keeps a journal of what each
channel received, so that a rerun after a kill sends only the rest.
"""
