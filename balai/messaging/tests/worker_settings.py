"""Settings for the worker subprocess of the fault tests: production-like (database task
queue), on the test database named by DATABASE_URL, sending to the test's fake Graph server."""

import os

from config.settings.base import *  # noqa: F403

BALAI_GRAPH_API_BASE = os.environ["BALAI_TEST_GRAPH_API_BASE"]
