"""SERVE: the preview server and the watcher that rebuilds the site and reloads open pages.

Preview only: nothing here is ever written into a built site. The reload script is served
by the preview server and injected into HTML responses on the fly.
"""
