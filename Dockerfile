# weft's demo in a container: builds weft from this repository and runs `npm run demo` (seed a
# demo business into an embedded DuckDB, build identity, profiles and audiences, sync to the
# local emulators of `weft sandbox`, events and triggers through `weft serve`).
#   docker build -t weft-demo . && docker run --rm weft-demo
# test/package/dockerfile.test.ts holds these commands to package.json; docs/production.md
# shows an image for your own project.
FROM node:20-slim

WORKDIR /app

# Dependencies first (a layer reused until the lock changes). Scripts are off, then only the
# native packages approved in package.json's allowScripts run theirs: the root `prepare` build
# needs the sources, copied below.
COPY package.json package-lock.json ./
COPY vendor/ vendor/
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild esbuild lmdb msgpackr-extract

# The engine, the connectors and the demo project.
COPY tsconfig.json tsconfig.build.json README.md weft.yml ./
COPY src/ src/
COPY destinations/ destinations/
COPY schemas/ schemas/
COPY scripts/ scripts/
COPY models/ models/
COPY syncs/ syncs/
RUN npm run build

CMD ["npm", "run", "demo"]
