# The serialwatch API + UI image (the database is the official neo4j image; see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /srv/serialwatch
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph ./graph
COPY ingest ./ingest
COPY dashboards ./dashboards
RUN pip install --no-cache-dir ".[fast]"
USER 10001
EXPOSE 8000
CMD ["serialwatch", "serve", "--host", "0.0.0.0", "--port", "8000"]
