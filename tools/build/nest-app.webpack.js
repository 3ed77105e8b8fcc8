const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('node:path');

/**
 * The webpack configuration every PayFlow service builds with: a Node bundle of the app's own code
 * and libs/ (node_modules stay external; the generated package.json lists what the bundle needs,
 * which the Docker image installs with --omit=dev).
 */
module.exports = function nestAppWebpackConfig(appDirectory) {
  const app = basename(appDirectory);
  return {
    output: { path: join(appDirectory, '../../dist/apps', app) },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
    ],
  };
};
