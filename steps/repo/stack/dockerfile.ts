import { nodeInstall } from "./toolchain.js";
import type { Stack } from "./types.js";

/**
 * A Dockerfile for a repository that has none: multi-stage (the SDK image builds, a slim
 * runtime image runs), a numeric non-root user (so Kubernetes can verify runAsNonRoot), the
 * answers' container port. A managed file: kept once a user edits it.
 */
export function dockerfileFor(stack: Stack, port: number): string {
  const v = stack.version;
  switch (stack.language) {
    case "node":
      return nodeDockerfile(stack, port);
    case "python":
      return pythonDockerfile(stack, port);
    case "dotnet": {
      const sdk = v.split(".").slice(0, 2).join(".");
      const project = stack.project ? ` ${stack.project}` : "";
      const entry = stack.hints?.entry ?? "app";
      return lines(
        `FROM mcr.microsoft.com/dotnet/sdk:${sdk} AS build`,
        "WORKDIR /src",
        "COPY . .",
        `RUN dotnet publish${project} --configuration Release --output /app/publish`,
        "",
        `FROM mcr.microsoft.com/dotnet/aspnet:${sdk}`,
        "WORKDIR /app",
        `ENV ASPNETCORE_HTTP_PORTS=${port}`,
        "COPY --from=build /app/publish ./",
        "# The image's non-root app user ($APP_UID), by number.",
        "USER 1654",
        `EXPOSE ${port}`,
        `ENTRYPOINT ["dotnet", "${entry}.dll"]`,
      );
    }
    case "java": {
      const gradle = stack.tool === "gradle";
      const wrapper = stack.hints?.wrapper === true;
      const build = gradle
        ? `${wrapper ? "./gradlew" : "gradle"} --no-daemon assemble && cp "$(ls build/libs/*.jar | grep -v -- '-plain.jar' | head -n 1)" /app.jar`
        : `${wrapper ? "./mvnw" : "mvn"} -B -DskipTests package && cp "$(ls target/*.jar | head -n 1)" /app.jar`;
      const image = gradle
        ? wrapper
          ? `eclipse-temurin:${v}-jdk`
          : `gradle:jdk${v}`
        : wrapper
          ? `eclipse-temurin:${v}-jdk`
          : `maven:3-eclipse-temurin-${v}`;
      return lines(
        `FROM ${image} AS build`,
        "WORKDIR /src",
        "COPY . .",
        `RUN ${build}`,
        "",
        `FROM eclipse-temurin:${v}-jre`,
        "WORKDIR /app",
        "COPY --from=build /app.jar ./app.jar",
        "USER 1000",
        `ENV SERVER_PORT=${port} PORT=${port}`,
        `EXPOSE ${port}`,
        `ENTRYPOINT ["java", "-jar", "/app/app.jar"]`,
      );
    }
    case "go": {
      const minor = v.split(".").slice(0, 2).join(".");
      return lines(
        `FROM golang:${minor} AS build`,
        "WORKDIR /src",
        "COPY go.mod go.sum* ./",
        "RUN go mod download",
        "COPY . .",
        `RUN CGO_ENABLED=0 go build -trimpath -o /out/app ${stack.hints?.entry ?? "."}`,
        "",
        "FROM gcr.io/distroless/static-debian12:nonroot",
        "COPY --from=build /out/app /app",
        "USER 65532:65532",
        `ENV PORT=${port}`,
        `EXPOSE ${port}`,
        `ENTRYPOINT ["/app"]`,
      );
    }
  }
}

function lines(...l: string[]): string {
  return `${l.join("\n")}\n`;
}

function nodeDockerfile(stack: Stack, port: number): string {
  const image = `node:${stack.version}-alpine`;
  const lock: Record<string, string> = {
    npm: "package-lock.json",
    pnpm: "pnpm-lock.yaml",
    yarn: "yarn.lock",
  };
  const copy = stack.hints?.noLockfile
    ? "COPY package.json ./"
    : `COPY package.json ${lock[stack.tool] ?? lock.npm} ./`;
  const build: Record<string, string> = {
    npm: "RUN npm run build --if-present && npm prune --omit=dev",
    pnpm: "RUN pnpm run --if-present build && pnpm prune --prod",
    yarn: "RUN yarn run build",
  };
  return lines(
    `FROM ${image} AS build`,
    "WORKDIR /app",
    copy,
    `RUN ${nodeInstall(stack)}`,
    "COPY . .",
    build[stack.tool] ?? build.npm!,
    "",
    `FROM ${image}`,
    "WORKDIR /app",
    `ENV NODE_ENV=production PORT=${port}`,
    "COPY --from=build /app ./",
    '# Numeric user (the image\'s "node" user), so Kubernetes can verify runAsNonRoot.',
    "USER 1000",
    `EXPOSE ${port}`,
    `CMD ["npm", "start"]`,
  );
}

function pythonDockerfile(stack: Stack, port: number): string {
  const image = `python:${stack.version}-slim`;
  const entry = stack.hints?.entry ?? "main.py";
  const cmd = JSON.stringify(["python", ...entry.split(" ")]);
  const install: Record<string, string[]> = {
    pip: [
      "RUN python -m venv /app/.venv",
      ...(stack.hints?.requirements?.includes("requirements.txt")
        ? ["COPY requirements.txt ./", "RUN pip install --no-cache-dir -r requirements.txt", "COPY . ."]
        : ["COPY . .", "RUN pip install --no-cache-dir ."]),
    ],
    poetry: [
      "ENV POETRY_VIRTUALENVS_IN_PROJECT=true",
      "RUN pip install --no-cache-dir poetry",
      "COPY pyproject.toml poetry.lock* ./",
      "RUN poetry install --only main --no-root --no-interaction",
      "COPY . .",
    ],
    uv: [
      "RUN pip install --no-cache-dir uv",
      "COPY pyproject.toml uv.lock ./",
      "RUN uv sync --frozen --no-dev --no-install-project",
      "COPY . .",
    ],
  };
  return lines(
    `FROM ${image} AS build`,
    "WORKDIR /app",
    "ENV PATH=/app/.venv/bin:$PATH",
    ...(install[stack.tool] ?? install.pip!),
    "",
    `FROM ${image}`,
    "WORKDIR /app",
    `ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PORT=${port}`,
    "COPY --from=build /app ./",
    "USER 1000",
    `EXPOSE ${port}`,
    `# The start command: adjust it to your app (a managed file keeps your edit).`,
    `CMD ${cmd}`,
  );
}
